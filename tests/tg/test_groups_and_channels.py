"""Groups and channels at their edges, against the loopback Bot API: anonymous admins,
the bot removed and added back, a group that becomes a supergroup while in use, a
channel admin who leaves, commands for other bots, buttons pressed twice or forged."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from storage import subscriptions
from storage.db import session
from tests.conftest import wait
from tests.tg.test_conversation import ask

ALICE = FakeBotAPI.user(7101, "Alice", "en")
SALMA = FakeBotAPI.user(7102, "سلمى", "ar")
FAILURE = "Something went wrong"


async def test_buttons_pressed_twice_or_forged_are_answered_quietly(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    picker = await ask(bot_api, ALICE, "/start", 2)

    async def answered(*queries: str) -> None:
        await wait(bot_api.wait_for, lambda: all(bot_api.callback_answered(q) for q in queries))

    # A double tap: two presses of ▶ on the keyboard as it was drawn, before the first
    # is answered; the second redraws what is already there.
    await answered(bot_api.press(ALICE, picker, text="▶"), bot_api.press(ALICE, picker, text="▶"))
    # Forged or stale data, and the page that is already shown.
    for data in ("t:0:nonexistent", "t:0:economy:extra", "t:x:economy", "z" * 64, "p:1",
                 "t:1:", "p:"):  # fmt: skip
        await answered(bot_api.press_data(ALICE, picker, data))
    messages = bot_api.messages(ALICE["id"])
    assert len(messages) == 2, [m["text"] for m in messages]
    assert "◀" in str(messages[1]["reply_markup"]), "still the second page"
    with session(engine) as db:
        assert subscriptions.topic_slugs(ALICE["id"], session=db) == set()
    # The buttons still work.
    await answered(bot_api.press(ALICE, bot_api.messages(ALICE["id"])[1], text="◀"))
    await answered(bot_api.press_data(ALICE, picker, "p:-3"))  # the first page, shown already
    assert "◀" not in str(bot_api.messages(ALICE["id"])[1]["reply_markup"])
    assert len(bot_api.messages(ALICE["id"])) == 2
