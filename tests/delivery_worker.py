"""A delivery process for tests/test_delivery.py to kill: plans what is due and sends
everything planned, then exits. Usage: python tests/delivery_worker.py DB_URL BASE_URL TOKEN"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.delivery import Courier, plan_digests
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from storage.db import make_engine

NOW = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)


async def main(database: str, base_url: str, token: str) -> None:
    engine = make_engine(database)
    plan_digests(engine, NOW, grace=dt.timedelta(hours=6), names={})
    request = HTTPXRequest(connection_pool_size=32, read_timeout=5)
    async with Bot(token, base_url=base_url, request=request) as bot:
        sender = Sender(bot, Limiter(Limits(per_second=400, private_per_second=10)))
        courier = Courier(engine, sender, concurrency=32)
        while (await courier.send_unsent()).sent:
            pass


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
