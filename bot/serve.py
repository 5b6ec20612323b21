"""`newsbot run`'s life: start, serve while holding the Telegram lease, stop cleanly.

Every process polls news (each source claimed by one poller). Only the one that
holds the Telegram lease (bot/leader.py) polls Telegram for updates and plans
and sends digests; the others stand by and take over when it stops. SIGTERM or
SIGINT stops a process cleanly: updates first, then the work in hand, and the
lease is given up at once, so a standby takes over without waiting it out.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot import jobs
from bot.config import Settings
from bot.leader import Leader
from bot.tg.startup import reach_telegram, start_polling

log = logging.getLogger(__name__)


async def serve(application: Application, engine: Engine, settings: Settings) -> None:  # type: ignore[type-arg]
    """Runs the bot until SIGTERM or SIGINT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    updater = application.updater
    assert updater is not None
    where = urlsplit(settings.telegram_api_base_url).netloc  # never the URL: it holds the token

    async def lead(held: bool) -> None:
        if held and not updater.running and not stopping.is_set():
            # The webhook is cleared first; that, too, waits out a network that fails.
            await start_polling(updater, where=where, bootstrap_retries=-1)
            if application.job_queue is not None:  # what a stopped holder left, sent now
                dispatcher = application.bot_data.dispatcher
                application.job_queue.run_once(jobs.deliver, 0, data=dispatcher,
                                               name="deliver_on_taking_over")  # fmt: skip
        elif not held and updater.running:
            await updater.stop()

    leader = Leader(engine, seconds=settings.leader_lease_seconds, on_change=lead)
    application.bot_data.leader = leader
    # Telegram may be unreachable at start (no network yet): tried until it answers,
    # or until the process is asked to stop. A rejected token ends it (TokenRejected).
    reaching = asyncio.create_task(reach_telegram(application, where=where))
    asked_to_stop = asyncio.create_task(stopping.wait())
    await asyncio.wait({reaching, asked_to_stop}, return_when=asyncio.FIRST_COMPLETED)
    if not reaching.done():
        reaching.cancel()
        await asyncio.gather(reaching, return_exceptions=True)
        return
    asked_to_stop.cancel()
    reaching.result()
    log.info("connected to Telegram as @%s", application.bot.username)
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    keeper = asyncio.create_task(leader.run(), name="telegram_lease")
    try:
        await stopping.wait()
        log.info("stopping")
    finally:
        leader.stopping = True  # sends nothing more; what is in hand finishes
        if updater.running:
            await updater.stop()
        await application.stop()
        keeper.cancel()  # gives the lease up
        await asyncio.gather(keeper, return_exceptions=True)
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await application.shutdown()
