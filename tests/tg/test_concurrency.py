"""Chats are answered at once, each in its own order: one chat's wait is its own."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from tests.conftest import wait
from tests.tg.test_conversation import add_story

ALICE = FakeBotAPI.user(7201, "Alice", "en")
BOB = FakeBotAPI.user(7202, "Bob", "en")


async def test_a_429_storm_on_one_chat_never_holds_another_chats_answer(
    running_bot: Application,  # type: ignore[type-arg]
    bot_api: FakeBotAPI,
    engine: Engine,
) -> None:
    add_story(engine, "Oil output cut agreed", "energy")
    bot_api.fail("sendMessage", chat_id=ALICE["id"], code=429, retry_after=2, times=5,
                 description="Too Many Requests: retry after 2")  # fmt: skip
    bot_api.send(ALICE, "/mytopics")
    await wait(bot_api.wait_for, lambda: bot_api.calls_to("sendMessage"))  # Alice is waiting
    bot_api.send(BOB, "/news energy")
    bob = (await wait(bot_api.wait_for_messages, BOB["id"], 1))[0]
    assert "Oil output cut agreed" in bob["text"]
    assert bot_api.messages(ALICE["id"]) == [], "Bob was answered while Alice's chat waited"
    alice = (await wait(bot_api.wait_for_messages, ALICE["id"], 1, 30.0))[0]
    assert "Topics:" in alice["text"], "after five 429s, the answer itself, not the error line"


async def test_one_chat_is_answered_in_the_order_it_wrote(
    running_bot: Application,  # type: ignore[type-arg]
    bot_api: FakeBotAPI,
) -> None:
    for n in range(5):
        bot_api.send(ALICE, f"/follow word{n}")
    bot_api.send(ALICE, "/mytopics")
    answers = await wait(bot_api.wait_for_messages, ALICE["id"], 6)
    assert [a["text"] for a in answers[:5]] == [
        f"✅ I will look out for “word{n}” in the news." for n in range(5)
    ]
    assert "word0, word1, word2, word3, word4" in answers[5]["text"]
