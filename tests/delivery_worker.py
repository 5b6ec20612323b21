"""A delivery process for tests/test_delivery.py to kill: plans what is due and sends
everything planned, then exits; what a killed one left handed over is read in the
chat through the archive chat. Usage: python tests/delivery_worker.py DB_URL BASE_URL TOKEN
ARCHIVE_CHAT_ID"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from telegram import Bot

from bot.delivery import Courier, plan_digests
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.tg.witness import Witness
from bot.wire import telegram_request
from storage.db import make_engine

NOW = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)


async def main(database: str, base_url: str, token: str, archive: str) -> None:
    engine = make_engine(database)
    plan_digests(engine, NOW, grace=dt.timedelta(hours=6), names={})
    request = telegram_request(timeout=5, connections=32)
    async with Bot(token, base_url=base_url, request=request) as bot:
        sender = Sender(bot, Limiter(Limits(per_second=400, private_per_second=10)))
        courier = Courier(engine, sender, concurrency=32, witness=Witness(bot, int(archive)))
        while (await courier.send_unsent()).sent:
            pass


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
