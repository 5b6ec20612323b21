"""JobQueue callbacks: thin glue between python-telegram-bot's ticks and the work.

The database decides what is due; a tick that comes late, or is skipped by
APScheduler's misfire rules, loses nothing: the next one finds the same work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from telegram.ext import CallbackContext

from bot.delivery import Dispatcher
from bot.ingest.pipeline import Pipeline
from bot.retention import Retention

log = logging.getLogger(__name__)

POLL_TICK_SECONDS = 30
DELIVERY_TICK_SECONDS = 20


async def poll_sources(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Polls the sources that are due; each source's failure stays its own."""
    job = context.job
    if job is None or not isinstance(job.data, Pipeline):
        return
    outcomes = await job.data.poll_due()
    new = sum(len(o.new_ids) for o in outcomes)
    skipped = sum(len(o.skipped) for o in outcomes)
    failed = [o.source for o in outcomes if o.status == "failed"]
    if outcomes:
        log.info("poll tick sources=%d new_articles=%d skipped=%d failed=%d",
                 len(outcomes), new, skipped, len(failed))  # fmt: skip


async def deliver(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Plans the digests that are due, then sends what is planned."""
    job = context.job
    if job is None or not isinstance(job.data, Dispatcher):
        return
    await job.data.tick()


async def prune_old_news(context: CallbackContext) -> None:  # type: ignore[type-arg]
    """Removes the news older than KEEP_NEWS_DAYS, in a thread: the first run on a
    large archive takes a while, and the bot keeps answering meanwhile."""
    job = context.job
    if job is None or not isinstance(job.data, Retention):
        return
    await asyncio.to_thread(job.data.run, dt.datetime.now(dt.UTC))
