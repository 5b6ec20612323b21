"""Reading a chat without touching it: forwarded to the operator's archive, then deleted."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.loopback.bot_api import FakeBotAPI
from bot.tg.witness import Witness
from bot.wire import telegram_request

READER = FakeBotAPI.user(7401, "Reader")
ARCHIVE = FakeBotAPI.channel(-1_007_400_000, "Archive")


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    bot_api.add_bot(ARCHIVE, FakeBotAPI.user(9999, "Operator"), status="administrator")
    async with Bot(bot_api.token, base_url=bot_api.base_url,
                   request=telegram_request(timeout=5)) as bot:  # fmt: skip
        yield bot


async def test_a_message_is_found_after_the_last_known_one_and_nothing_is_touched(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    bot_api.send(READER, "/start")
    first = await bot.send_message(READER["id"], "Welcome")
    bot_api.send(READER, "thanks")
    digest = await bot.send_message(READER["id"], "<b>📰 Digest</b> &amp; news", parse_mode="HTML")
    before = bot_api.history(READER["id"])
    found = await Witness(bot, ARCHIVE["id"]).look(READER["id"], first.message_id,
                                                   "<b>📰 Digest</b> &amp; news")  # fmt: skip
    assert (found.status, found.message_id) == ("there", digest.message_id)
    assert bot_api.history(READER["id"]) == before, "the chat itself is not changed"
    assert bot_api.messages(ARCHIVE["id"]) == [], "the copies are deleted"


async def test_a_message_that_never_arrived_is_not_there(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(READER, "/start")
    welcome = await bot.send_message(READER["id"], "Welcome")
    bot_api.send(READER, "thanks")
    found = await Witness(bot, ARCHIVE["id"]).look(READER["id"], welcome.message_id, "Digest")
    assert found.status == "absent"


async def test_an_archive_the_bot_cannot_post_in_gives_up(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(READER, "/start")
    nowhere = Witness(bot, -1_000_000_000_123)
    assert (await nowhere.look(READER["id"], None, "Digest")).status == "unknown"
