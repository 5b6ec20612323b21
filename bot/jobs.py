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
    """Starts polling the sources that are due, and returns: each source's poll (and
    its failure) stays its own, and a slow one never holds the next tick."""
    job = context.job
    if job is None or not isinstance(job.data, Pipeline):
        return
    job.data.poll_in_background()


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
