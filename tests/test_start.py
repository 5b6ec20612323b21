"""The real python-telegram-bot Application against the loopback Bot API server."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from storage.db import session
from storage.models import Article, Chat, Source
from tests.conftest import child_env, wait
from tests.ingest.sample_site import publish_world

ALICE = FakeBotAPI.user(2001, "Alice", "en-GB")
SALMA = FakeBotAPI.user(2002, "سلمى", "ar")
PIERRE = FakeBotAPI.user(2003, "Pierre", "fr")


async def test_start_round_trip_in_english(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    bot_api.send(ALICE, "/start")
    [reply] = await wait(bot_api.wait_for_messages, ALICE["id"])
    assert reply["text"].startswith("Hello Alice! I am newsbot.")
    assert reply["chat"]["id"] == ALICE["id"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
    assert chat is not None
    assert (chat.kind, chat.language, chat.timezone, chat.digest_time, chat.active) == (
        "private", "en", "UTC", "08:00", True,
    )  # fmt: skip


async def test_start_in_arabic_and_fallback_language(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    bot_api.send(SALMA, "/start")
    bot_api.send(PIERRE, "/start")
    [arabic] = await wait(bot_api.wait_for_messages, SALMA["id"])
    [fallback] = await wait(bot_api.wait_for_messages, PIERRE["id"])
    assert arabic["text"].startswith("أهلًا سلمى!")
    assert fallback["text"].startswith("Hello Pierre!"), "DEFAULT_LANGUAGE=en in this test"


async def test_start_in_a_group_with_the_bot_name(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1001234, "Readers")
    bot_api.send(ALICE, "/start@newsbot_test_bot", chat=group)
    [reply] = await wait(bot_api.wait_for_messages, group["id"])
    assert reply["text"].startswith("Hello Alice!")
    with session(engine) as db:
        chat = db.get(Chat, group["id"])
    assert chat is not None
    assert (chat.kind, chat.title) == ("supergroup", "Readers")


async def test_help_and_unknown_commands_get_answers(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    bot_api.send(SALMA, "/help")
    bot_api.send(SALMA, "/frobnicate now")
    help_reply, unknown = await wait(bot_api.wait_for_messages, SALMA["id"], 2)
    assert "/start" in help_reply["text"]
    assert unknown["text"] == "لا أعرف الأمر /frobnicate. اكتب /help لرؤية الأوامر."


async def test_command_menu_in_both_languages(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    english = bot_api.commands("en")
    arabic = bot_api.commands("ar")
    assert [c["command"] for c in english] == ["start", "help"]
    assert [c["command"] for c in arabic] == ["start", "help"]
    assert arabic[1]["description"] == "ما الذي يمكنني فعله"
    assert bot_api.commands("") == english, "DEFAULT_LANGUAGE=en here"


def test_newsbot_run_answers_and_never_logs_the_token(tmp_path: Path) -> None:
    with FakeBotAPI() as api:
        env = {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "LOG_LEVEL": "DEBUG",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=child_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            api.wait_for(lambda: api.calls_to("getUpdates"), timeout=60)
            api.send(SALMA, "/start")
            [reply] = api.wait_for_messages(SALMA["id"], timeout=30)
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
    assert reply["text"].startswith("أهلًا")
    assert process.returncode == 0, err
    assert "getUpdates" in err or "Application started" in err, "DEBUG logging was on"
    assert api.token not in err + out
    assert api.token.split(":")[1] not in err + out
    assert (tmp_path / "data" / "newsbot.db").is_file()


async def test_the_scheduler_polls_due_sources(
    running_bot: Application, news_site: NewsSite, engine: Engine
) -> None:
    publish_world(news_site, count=2)
    with session(engine) as db:
        db.add(Source(name="World", url=news_site.url("/world.xml"), origin="cli"))

    def stored() -> list[str]:
        with session(engine) as db:
            return [a.title for a in db.exec(select(Article).order_by(Article.id))]

    titles = await wait(lambda: _until(stored, 20))
    assert titles == ["World story number 1", "World story number 2"]


def _until(probe: Callable[[], list[str]], seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found
