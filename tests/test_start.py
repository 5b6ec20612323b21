"""The real python-telegram-bot Application against the loopback Bot API server."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application

from bot.config import Settings
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
    reply, picker = await wait(bot_api.wait_for_messages, ALICE["id"], 2)
    assert reply["text"].startswith("Hello Alice! I am newsbot.")
    assert reply["chat"]["id"] == ALICE["id"]
    assert picker["reply_markup"]["inline_keyboard"], "the topic picker follows the welcome"
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
    assert chat is not None
    assert (chat.kind, chat.language, chat.timezone, chat.digest_time, chat.active) == (
        "private", "en", "UTC", "08:00", True,
    )  # fmt: skip
    assert chat.next_digest_at is not None
    assert chat.next_digest_at > dt.datetime.now(dt.UTC)
    assert (chat.next_digest_at.hour, chat.next_digest_at.minute) == (8, 0), "08:00 UTC"


async def test_start_in_arabic_and_fallback_language(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    bot_api.send(SALMA, "/start")
    bot_api.send(PIERRE, "/start")
    arabic, _ = await wait(bot_api.wait_for_messages, SALMA["id"], 2)
    fallback, _ = await wait(bot_api.wait_for_messages, PIERRE["id"], 2)
    assert arabic["text"].startswith("أهلًا سلمى!")
    assert fallback["text"].startswith("Hello Pierre!"), "DEFAULT_LANGUAGE=en in this test"


async def test_start_in_a_group_with_the_bot_name(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1001234, "Readers")
    bot_api.send(ALICE, "/start@newsbot_test_bot", chat=group)
    reply, _ = await wait(bot_api.wait_for_messages, group["id"], 2)
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
    assert "/topics" in help_reply["text"]
    assert "/timezone" in help_reply["text"]
    assert unknown["text"] == "لا أعرف الأمر /frobnicate. اكتب /help لرؤية الأوامر."


async def test_command_menu_in_both_languages(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    english = bot_api.commands("en")
    arabic = bot_api.commands("ar")
    expected = ["start", "topics", "news", "digest", "search", "follow", "unfollow",
                "mytopics", "time", "timezone", "alerts", "quiet", "language", "languages",
                "pictures", "pause",
                "resume", "sources", "mute", "unmute", "ifempty", "channel",
                "help"]  # fmt: skip
    assert [c["command"] for c in english] == expected
    assert [c["command"] for c in arabic] == expected
    assert arabic[-1]["description"] == "ما الذي يمكنني فعله"
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
            reply = api.wait_for_messages(SALMA["id"], timeout=30)[0]
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

    def stored() -> list[str]:  # each article is stored in a unit of work of its own
        with session(engine) as db:
            titles = [a.title for a in db.exec(select(Article).order_by(Article.id))]
        return titles if len(titles) == 2 else []

    titles = await wait(lambda: _until(stored, 20))
    assert titles == ["World story number 1", "World story number 2"]


def _until(probe: Callable[[], list[str]], seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while not (found := probe()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


async def test_the_scheduler_sends_a_due_digest(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, settings: Settings
) -> None:
    from bot import catalog
    from storage.models import ArticleTopic, Story, Subscription, Topic

    bot_api.send(ALICE, "/start")
    await wait(bot_api.wait_for_messages, ALICE["id"], 2)
    now = dt.datetime.now(dt.UTC)
    with session(engine) as db:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=db)  # fmt: skip
        energy = db.exec(select(Topic).where(Topic.slug == "energy")).one()
        source = Source(name="Wire", url="https://wire.test/rss", origin="cli", language="en")
        story = Story(headline="Oil output cut agreed", first_seen_at=now, last_seen_at=now)
        db.add_all([source, story])
        db.flush()
        article = Article(source_id=source.id, url="https://wire.test/1", url_key="wire.test/1",
                          title=story.headline, summary="OPEC agreed a cut.",
                          story_id=story.id, fetched_at=now)  # fmt: skip
        db.add(article)
        db.flush()
        db.add(ArticleTopic(article_id=article.id, topic_id=energy.id, score=0.9))
        db.add(Subscription(chat_id=ALICE["id"], topic_id=energy.id))
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None
        chat.next_digest_at = now - dt.timedelta(minutes=1)
        db.add(chat)
    *_, digest = await wait(bot_api.wait_for_messages, ALICE["id"], 3, 30.0)
    assert "Oil output cut agreed" in digest["text"]
    assert digest["entities"][0]["type"] == "bold"


async def test_a_chat_that_blocked_us_comes_back_when_it_writes(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    bot_api.send(SALMA, "/start")
    await wait(bot_api.wait_for_messages, SALMA["id"], 2)
    with session(engine) as db:
        chat = db.get(Chat, SALMA["id"])
        assert chat is not None
        chat.active = False  # as the sender marks it after a 403
        db.add(chat)
    bot_api.send(SALMA, "/help")
    await wait(bot_api.wait_for_messages, SALMA["id"], 3)
    with session(engine) as db:
        chat = db.get(Chat, SALMA["id"])
        assert chat is not None
        assert chat.active
