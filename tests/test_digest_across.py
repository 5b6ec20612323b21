"""One event told in Arabic and English, joined into one story by meaning as the pipeline
joins it (the embedder on: the loopback embeddings API, which puts a text and its
translation close as a multilingual model does), then read by an English, an Arabic
and a two-language chat as Telegram holds their digests."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram import Bot

from bot import catalog
from bot.__main__ import _parser
from bot.config import Settings
from bot.curation.embed import Endpoint
from bot.delivery import Courier, plan_digests
from bot.digest import when
from bot.digest.render import FSI, PDI, RLM
from bot.digest.schedule import local
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.language import split_sentences
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.embeddings_api import FakeEmbeddingsAPI
from bot.loopback.news_site import NewsSite
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.wire import telegram_request
from storage.db import session
from storage.models import Article, Chat, Subscription, Topic
from tests.conftest import make_settings
from tests.ingest.sample_site import article_page, rss
from tests.ingest.test_pipeline import add_source
from tests.test_digest_reads import lines_after, links

NAMES = {"energy": ("الطاقة والنفط", "Energy and oil")}
ENGLISH, ARABIC, BOTH = 7201, 7202, 7203
ZONE = "Asia/Riyadh"
EVENT = {
    "en": (
        "Pipeline blast halts gas exports from the northern field",
        [
            "An explosion on the main gas pipeline halted exports from the northern field "
            "on Monday, the energy ministry said.",
            "Engineers expect repairs to take two weeks. Crude oil output continues. Buyers "
            "in Europe said they had enough gas stored for the winter.",
        ],
    ),
    "ar": (
        "انفجار خط أنابيب يوقف صادرات الغاز من الحقل الشمالي",
        [
            "أوقف انفجار في خط أنابيب الغاز الرئيسي الصادرات من الحقل الشمالي يوم الاثنين، "
            "بحسب وزارة الطاقة.",
            "ويتوقع المهندسون أن يستغرق الإصلاح أسبوعين. ويستمر إنتاج النفط الخام. وقال "
            "مشترون في أوروبا إن لديهم ما يكفي من الغاز المخزن للشتاء.",
        ],
    ),
}
# What a multilingual model knows: the Arabic headline and lead say what the English do.
TRANSLATIONS = {EVENT["ar"][0]: EVENT["en"][0], EVENT["ar"][1][0]: EVENT["en"][1][0]}


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(bot_api.token, base_url=bot_api.base_url,
                   request=telegram_request(timeout=5)) as bot:  # fmt: skip
        yield bot


async def read_in(tmp_path: Path, news_site: NewsSite, engine: Engine) -> dt.datetime:
    """The event's two pages read from their feeds, embedded; returns when it was told."""
    published = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    sources = {}
    for lang, (title, paragraphs) in EVENT.items():
        path = f"/{lang}/pipeline.html"
        picture = f'<meta property="og:image" content="/img/pipeline-{lang}.jpg"></head>'
        page = article_page(title, paragraphs, lang=lang, published=published.isoformat())
        news_site.put(path, page.replace("</head>", picture))
        news_site.put(f"/{lang}.xml", rss([(f"{lang}-1", news_site.url(path), title)]))
        name = "Harbor Times" if lang == "en" else "أخبار الوادي"
        sources[lang] = add_source(engine, name, news_site.url(f"/{lang}.xml"), language=lang)
    with FakeEmbeddingsAPI(translations=TRANSLATIONS) as api:
        settings = make_settings(tmp_path, http_timeout_seconds=5.0, embeddings="endpoint",
                                 embeddings_api_url=api.url)  # fmt: skip
        with session(engine) as db:
            catalog.sync(catalog.load(sources_path=settings.sources_path,
                                      topics_path=settings.topics_path), session=db)  # fmt: skip
        embedder = Endpoint(settings)
        async with make_client(settings) as client:
            pipeline = Pipeline(settings, engine, client, embedder=embedder)
            await pipeline.refresh_source(sources["en"])
            await pipeline.refresh_source(sources["ar"])
        await embedder.aclose()
    with session(engine) as db:
        placed = {a.language: a.story_id for a in db.exec(select(Article))}
    assert set(placed) == {"ar", "en"} and placed["ar"] == placed["en"], "one story"
    return published


def add_chats(engine: Engine, api: FakeBotAPI) -> None:
    """An English, an Arabic and a two-language chat on energy, their digest due now."""
    now = dt.datetime.now(dt.UTC)
    with session(engine) as db:
        energy = db.exec(select(Topic).where(Topic.slug == "energy")).one()
        for chat_id, language, news in [(ENGLISH, "en", None), (ARABIC, "ar", None),
                                        (BOTH, "en", "ar,en")]:  # fmt: skip
            db.add(Chat(id=chat_id, kind="private", language=language, timezone=ZONE,
                        digest_time="08:00", next_digest_at=now, news_languages=news))  # fmt: skip
            db.flush()
            db.add(Subscription(chat_id=chat_id, topic_id=energy.id))
            api.register(FakeBotAPI.private_chat(FakeBotAPI.user(chat_id)))


async def digests(engine: Engine, api: FakeBotAPI, bot: Bot) -> dict[int, dict]:
    now = dt.datetime.now(dt.UTC)
    assert plan_digests(engine, now, grace=dt.timedelta(hours=6), names=NAMES).planned == 3
    sender = Sender(bot, Limiter(Limits(per_second=200, private_per_second=50)), backoff=0.05)
    await Courier(engine, sender).send_unsent()
    got = {}
    for chat_id in (ENGLISH, ARABIC, BOTH):
        [got[chat_id]] = api.messages(chat_id)
    return got


def said(published: dt.datetime, language: str) -> str:
    now = local(dt.datetime.now(dt.UTC), ZONE)
    return when.spoken(local(published, ZONE), now, language)


def printed(chat_id: int, settings: Settings) -> str:
    """What `newsbot digest --chat ID` prints, run in this process on the test's database."""
    args = _parser().parse_args(["digest", "--chat", str(chat_id)])
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert args.command(args, settings) == 0
    return output.getvalue()


async def test_a_story_joined_across_languages_reads_in_each_readers_language(
    tmp_path: Path, news_site: NewsSite, engine: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    published = await read_in(tmp_path, news_site, engine)
    add_chats(engine, bot_api)
    got = await digests(engine, bot_api, bot)
    en_url, ar_url = news_site.url("/en/pipeline.html"), news_site.url("/ar/pipeline.html")

    # English: the English report's headline and summary; the Arabic outlet still named,
    # linked to its own report.
    english = got[ENGLISH]
    headline, summary, sources = lines_after(english, "Pipeline blast", 3)
    assert headline == f"• {EVENT['en'][0]}"
    assert summary.startswith("An explosion on the main gas pipeline halted exports")
    assert 1 <= len(split_sentences(summary)) <= 3 and len(summary) <= 320
    assert sources == f"Harbor Times, {FSI}أخبار الوادي{PDI} · {said(published, 'en')}"
    found = links(english)
    assert found[EVENT["en"][0]] == en_url and found["Harbor Times"] == en_url
    assert found[f"{FSI}أخبار الوادي{PDI}"] == ar_url
    assert EVENT["ar"][0] not in english["text"] and "أوقف انفجار" not in english["text"]
    assert english["link_preview_options"]["url"] == en_url
    preview = bot_api.preview(ENGLISH, english["message_id"])
    assert preview is not None and preview["image"] == news_site.url("/img/pipeline-en.jpg")

    # Arabic: the Arabic report's, in Arabic digits; the English outlet still named.
    arabic = got[ARABIC]
    headline, summary, sources = lines_after(arabic, "انفجار خط أنابيب", 3)
    assert headline == f"• {RLM}{EVENT['ar'][0]}"
    assert summary.startswith(f"{RLM}أوقف انفجار في خط أنابيب الغاز الرئيسي")
    assert sources == f"{RLM}أخبار الوادي، {FSI}Harbor Times{PDI} · {said(published, 'ar')}"
    assert any("٠" <= c <= "٩" for c in sources) and not any(c.isascii() and c.isdigit()
                                                            for c in sources)  # fmt: skip
    found = links(arabic)
    assert found[RLM + EVENT["ar"][0]] == ar_url and found["أخبار الوادي"] == ar_url
    assert found[f"{FSI}Harbor Times{PDI}"] == en_url
    assert EVENT["en"][0] not in arabic["text"]
    assert arabic["link_preview_options"]["url"] == ar_url

    # Both languages, an English interface: the story once, in English, both outlets.
    both = got[BOTH]
    assert both["text"].count("Pipeline blast") == 1 and EVENT["ar"][0] not in both["text"]
    assert lines_after(both, "Pipeline blast", 3)[2].startswith(
        f"Harbor Times, {FSI}أخبار الوادي{PDI} · "
    )


async def test_digest_for_a_chat_prints_exactly_what_the_chat_then_gets(
    tmp_path: Path, news_site: NewsSite, engine: Engine, bot_api: FakeBotAPI, bot: Bot,
    settings: Settings,
) -> None:  # fmt: skip
    await read_in(tmp_path, news_site, engine)
    add_chats(engine, bot_api)
    shown = {chat_id: printed(chat_id, settings) for chat_id in (ENGLISH, ARABIC, BOTH)}
    got = await digests(engine, bot_api, bot)
    for chat_id, message in got.items():
        options = json.dumps(message["link_preview_options"], ensure_ascii=False, sort_keys=True)
        buttons = [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                   for b in row]  # fmt: skip
        expected = ["--- message 1 of 1 ---", f"link_preview_options: {options}", message["text"]]
        if buttons:
            expected.append(" ".join(f"[ {label} ]" for label in buttons))
        assert shown[chat_id] == "\n".join(expected) + "\n", f"chat {chat_id}"
