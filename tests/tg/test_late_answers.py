"""Telegram answers late: the message arrived, its 200 came after the client's timeout.

The chats hold what a chat holds after a day of use; the bot must send nothing
twice, change no earlier message, and say nothing went wrong when it did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from storage.db import session
from storage.models import Chat, Outgoing
from tests.conftest import bot_running, wait
from tests.tg.test_conversation import add_story, ask

ALICE = FakeBotAPI.user(7101, "Alice", "en")
LATE = 2.5  # seconds Telegram takes to answer, against the bot's 1


@pytest.fixture
async def impatient_bot(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with bot_running(tmp_path, bot_api, engine, telegram_timeout_seconds=1) as app:
        yield app


async def a_day_of_chatting(api: FakeBotAPI) -> None:
    picker = await ask(api, ALICE, "/start", 2)
    api.press(ALICE, picker, text="Economy")
    await wait(api.wait_for, lambda: "✅ Economy" in str(api.messages(ALICE["id"])[1]))
    await ask(api, ALICE, "/help", 3)
    api.send(ALICE, "thanks!")


async def digest_day(app: Application, engine: Engine, api: FakeBotAPI) -> None:  # type: ignore[type-arg]
    """The day's digest is due now, and Telegram answers its sendMessage late."""
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None
        chat.next_digest_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.add(chat)
    api.fail("sendMessage", chat_id=ALICE["id"], code=None, delay=LATE)
    await app.bot_data.dispatcher.tick()


def digests(api: FakeBotAPI) -> list[str]:
    return [m["text"] for m in api.messages(ALICE["id"]) if m["text"].startswith("📰 Your")]


async def test_a_late_answer_on_the_first_digest_and_on_a_later_day_sends_each_once(
    impatient_bot: Application,  # type: ignore[type-arg]
    bot_api: FakeBotAPI,
    engine: Engine,
) -> None:
    await a_day_of_chatting(bot_api)
    add_story(engine, "Central bank holds rates", "economy")
    before = bot_api.history(ALICE["id"])
    await digest_day(impatient_bot, engine, bot_api)
    await impatient_bot.bot_data.dispatcher.tick()  # the next tick finds nothing to send
    assert len(digests(bot_api)) == 1
    assert bot_api.history(ALICE["id"])[: len(before)] == before, "nothing earlier changed"
    with session(engine) as db:
        assert [o.status for o in db.exec(select(Outgoing))] == ["unconfirmed"]

    # Day two: she chats, then the digest comes and is answered late again.
    await ask(bot_api, ALICE, "/help", 5)
    add_story(engine, "Oil exporters agree to cut output", "economy")
    before = bot_api.history(ALICE["id"])
    await digest_day(impatient_bot, engine, bot_api)
    await impatient_bot.bot_data.dispatcher.tick()
    assert len(digests(bot_api)) == 2, "one digest a day"
    assert bot_api.history(ALICE["id"])[: len(before)] == before, "the /help answer is untouched"
    assert not [c for c in bot_api.calls if c.method.startswith("editMessageText")]


async def test_a_digest_on_demand_answered_late_is_no_error_and_not_sent_again(
    impatient_bot: Application,  # type: ignore[type-arg]
    bot_api: FakeBotAPI,
    engine: Engine,
) -> None:
    await a_day_of_chatting(bot_api)
    add_story(engine, "Central bank holds rates", "economy")
    bot_api.fail("sendMessage", chat_id=ALICE["id"], code=None, delay=LATE)
    digest = await ask(bot_api, ALICE, "/digest", 4)
    assert digest["text"].startswith("📰 Your news digest")
    await ask(bot_api, ALICE, "/help", 5)  # answered in order: /digest was done by then
    said = [m["text"] for m in bot_api.messages(ALICE["id"])]
    assert not any("Something went wrong" in t for t in said), said
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None
        chat.next_digest_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.add(chat)
    await impatient_bot.bot_data.dispatcher.tick()
    last = (await wait(bot_api.wait_for_messages, ALICE["id"], 6))[-1]
    assert last["text"].startswith("📰 Nothing new"), "the daily digest does not repeat it"


async def test_a_reply_answered_late_is_not_followed_by_an_error_line(
    impatient_bot: Application,  # type: ignore[type-arg]
    bot_api: FakeBotAPI,
) -> None:
    bot_api.fail("sendMessage", chat_id=ALICE["id"], code=None, delay=LATE)
    help_text = await ask(bot_api, ALICE, "/help", 1)
    assert help_text["text"].startswith("What you can send me")
    mine = await ask(bot_api, ALICE, "/mytopics", 2)
    assert "Topics:" in mine["text"], "the next answer, not an error line"
    assert len(bot_api.messages(ALICE["id"])) == 2
