"""What a feed may send: a 5,000-character headline, one made of markup characters and
emoji, a 100 KB summary. Every message the bot composes from them is valid Telegram
HTML within 4,096 characters: /news, /digest, /search and the daily digest."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from html import escape
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.ingest.fetch import make_client
from bot.ingest.pipeline import MAX_TITLE, Pipeline
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from storage.db import session
from storage.models import Article, Chat
from tests.conftest import bot_running, make_settings, wait
from tests.ingest.test_pipeline import add_source

READER = FakeBotAPI.user(7301, "Reader", "en")
LONG = "Markets and inflation: the central bank " + "keeps explaining its decision " * 170
MARKUP = "<b>Inflation</b> & markets </a> <<< &amp; 📈📉💥 & the central bank > all"
HUGE = "The central bank said inflation and markets " + "would keep moving, " * 5500


def hostile_feed(site: NewsSite) -> str:
    now = dt.datetime.now(dt.UTC)
    items = "".join(
        f"<item><guid>h-{n}</guid><link>{site.url(f'/gone/{n}')}</link>"
        f"<title>{escape(title)}</title><description>{escape(summary)}</description>"
        f"<pubDate>{format_datetime(now - dt.timedelta(minutes=n))}</pubDate></item>"
        for n, (title, summary) in enumerate(
            [(LONG, "Markets moved."), (MARKUP, "Inflation and markets."), ("Markets", HUGE)]
        )
    )
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    return site.put(
        "/hostile.xml", f"{head}<title>Hostile</title><link>/</link>{items}</channel></rss>"
    )


def check(messages: list[dict[str, object]]) -> None:
    for message in messages:
        text = str(message["text"])
        assert len(text) <= 4096
        assert "Something went wrong" not in text
        assert any(e["type"] == "text_link" for e in message.get("entities", [])), (  # type: ignore[attr-defined]
            "sent as HTML, not refused and sent again as plain text"
        )


async def test_hostile_headlines_and_summaries_give_valid_messages_everywhere(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    settings = make_settings(tmp_path, http_timeout_seconds=5.0)
    source_id = add_source(engine, "Hostile", hostile_feed(news_site), language="en")
    async with bot_running(tmp_path, bot_api, engine) as app:
        async with make_client(settings) as client:
            outcome = await Pipeline(settings, engine, client).refresh_source(source_id)
        assert len(outcome.new_ids) == 3
        with session(engine) as db:
            articles = list(db.exec(select(Article)))
        assert max(len(a.title) for a in articles) <= MAX_TITLE, "bounded at ingest"
        assert max(len(a.summary or "") for a in articles) <= 1000
        assert max(len(a.lead or "") for a in articles) <= 1000

        bot_api.send(READER, "/news economy")
        check((await wait(bot_api.wait_for_messages, READER["id"], 1))[-1:])
        bot_api.send(READER, "/search inflation")
        check((await wait(bot_api.wait_for_messages, READER["id"], 2))[-1:])
        bot_api.send(READER, "/follow central bank")
        await wait(bot_api.wait_for_messages, READER["id"], 3)
        bot_api.send(READER, "/digest")
        check((await wait(bot_api.wait_for_messages, READER["id"], 4))[-1:])

        other = FakeBotAPI.user(7302, "Other", "en")  # the daily digest, unasked for
        bot_api.send(other, "/follow markets")
        await wait(bot_api.wait_for_messages, other["id"], 1)
        with session(engine) as db:
            chat = db.get(Chat, other["id"])
            assert chat is not None
            chat.next_digest_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
            db.add(chat)
        await app.bot_data.dispatcher.tick()
        daily = (await wait(bot_api.wait_for_messages, other["id"], 2))[1:]
        check(daily)
        assert "📈📉💥" in str(daily[0]["text"]), "markup characters shown as text"
