"""The daily digest as readers get it: an Arabic chat, an English chat and a two-language
chat, over stories of one source, several, both languages, with pictures and without,
planned and sent by the delivery engine to the loopback Bot API and read there as
Telegram holds them (text, entities, link preview options, the preview drawn)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram import Bot

from bot import catalog
from bot.config import Settings
from bot.delivery import Courier, plan_digests
from bot.digest.render import FSI, MAX_ENTITIES, PDI, RLM
from bot.language import split_sentences
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.tg.witness import Witness
from bot.wire import telegram_request
from storage import outgoing as outgoing_store
from storage.db import session
from storage.models import Article, ArticleTopic, Chat, Outgoing, Source, Story, Subscription, Topic

NOW = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)  # Tuesday, 08:00 in Riyadh
GRACE = dt.timedelta(hours=6)
NAMES = {"economy": ("اقتصاد", "Economy"), "middle-east": ("الشرق الأوسط", "Middle East"),
         "sports": ("رياضة", "Sports")}  # fmt: skip
ARABIC, ENGLISH, BOTH, NO_PICTURES, SPORTS = 7101, 7102, 7103, 7104, 7105
HARBOR_TEXT = ("Oil producers in the OPEC+ group agreed on Sunday to cut output by one million "
               "barrels a day from January. Brent crude rose 3 percent to 78 dollars a barrel "
               "after the announcement. Importers in Asia said fuel bills would rise.")  # fmt: skip


SHORT = {"en": "What happened, in a few words.", "ar": "ما حدث، في كلمات قليلة."}


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11 if day > 1 else 12, day, hour, minute, tzinfo=dt.UTC)


def meaning(*values: float) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).astype(np.float16).tobytes()


@dataclass(frozen=True)
class Report:
    source: str
    title: str
    page: str  # its path on the news site
    published: dt.datetime
    summary: str = ""
    text: str = ""
    image: str | None = None  # its page's og:image (a path), as extraction stores it


@pytest.fixture
def newsroom(engine: Engine, settings: Settings, news_site: NewsSite) -> Engine:
    """Stories of the last three days on economy, the Middle East and sports, their pages
    on the news site (og:image on three of them)."""
    with session(engine) as db:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=db)  # fmt: skip
        outlets = {name: Source(name=name, url=f"https://{n}.test/rss", language=language,
                                origin="cli")
                   for n, (name, language) in enumerate([
                       ("Harbor Times", "en"), ("Northwind Post", "en"), ("Ledger", "en"),
                       ("أخبار الوادي", "ar"), ("صحيفة الساحل", "ar")])}  # fmt: skip
        db.add_all(outlets.values())
        db.flush()
        topics = {t.slug: t.id for t in db.exec(select(Topic))}

        def story(slug: str, reports: list[Report], vector: bytes | None = None) -> None:
            seen = max(r.published for r in reports) + dt.timedelta(minutes=5)
            row = Story(headline=reports[0].title, first_seen_at=seen, last_seen_at=seen,
                        article_count=len(reports), vector=vector,
                        source_count=len({r.source for r in reports}))  # fmt: skip
            db.add(row)
            db.flush()
            for report in reports:
                page = f"<html><head><title>{report.title}</title>"
                if report.image:
                    page += f'<meta property="og:image" content="{report.image}">'
                url = news_site.put(report.page, page + "</head><body></body></html>")
                article = Article(
                    source_id=outlets[report.source].id, url=url, url_key=url.split("://")[1],
                    title=report.title,
                    summary=report.summary or SHORT[outlets[report.source].language],
                    text=report.text, published_at=report.published, story_id=row.id,
                    fetched_at=report.published + dt.timedelta(minutes=5),
                    image_url=news_site.url(report.image) if report.image else None,
                )  # fmt: skip
                db.add(article)
                db.flush()
                db.add(ArticleTopic(article_id=article.id, topic_id=topics[slug], score=0.9))

        story("economy", [
            Report("أخبار الوادي", "أوبك+ تتفق على خفض إنتاج النفط من يناير", "/ar/oil.html",
                   at(1, 3, 10), "اتفقت دول أوبك+ على خفض الإنتاج بمليون برميل يوميا.",
                   image="/img/oil-ar.jpg"),
            Report("Harbor Times", "OPEC+ agrees to cut oil output from January", "/en/oil.html",
                   at(1, 3, 40), HARBOR_TEXT, HARBOR_TEXT, "/img/oil.jpg"),
            Report("Northwind Post", "Oil jumps as OPEC+ producers agree January output cut",
                   "/en/oil-jumps.html", at(1, 4, 0)),
        ], meaning(1, 0.1, 0))  # fmt: skip
        story("economy", [Report("Harbor Times", "Dock workers end strike at the largest port",
                                 "/en/port.html", at(30, 19, 10))])  # fmt: skip
        story(
            "economy",
            [
                Report(
                    "Northwind Post",
                    "Markets brace for an OPEC+ output cut",
                    "/en/brace.html",
                    at(30, 3, 0),
                )
            ],
            meaning(0.9, 0.2, 0.1),
        )
        for n in range(8):
            story("economy", [Report("Ledger", f"Economy brief number {n}", f"/en/brief{n}.html",
                                     at(30, 20) + dt.timedelta(minutes=n))])  # fmt: skip
        story("middle-east", [
            Report("صحيفة الساحل", "مئة شاحنة مساعدات تعبر معبر رفح إلى قطاع غزة", "/ar/aid.html",
                   at(1, 2, 0), image="/img/aid.jpg"),
            Report("أخبار الوادي", "دخول قافلة مساعدات جديدة إلى غزة", "/ar/aid-2.html",
                   at(1, 2, 30)),
        ], meaning(0, 1, 0.1))  # fmt: skip
        story("middle-east", [Report("أخبار الوادي", "الرياض تستضيف قمة خليجية لبحث أمن الطاقة",
                                     "/ar/summit.html", at(30, 19, 10))])  # fmt: skip
        story(
            "middle-east",
            [
                Report(
                    "أخبار الوادي", "بدء محادثات الهدنة في القاهرة", "/ar/talks.html", at(29, 9, 0)
                )
            ],
            meaning(0.1, 0.9, 0.2),
        )
        story("sports", [Report("Harbor Times", "Cup final goes to extra time", "/en/cup.html",
                                at(1, 1, 0))])  # fmt: skip
        for chat_id, language, news, pictures, slugs in [
            (ARABIC, "ar", None, True, ("economy", "middle-east")),
            (ENGLISH, "en", None, True, ("economy", "middle-east")),
            (BOTH, "en", "ar,en", True, ("economy", "middle-east")),
            (NO_PICTURES, "en", None, False, ("economy",)),
            (SPORTS, "en", None, True, ("sports",)),
        ]:
            db.add(Chat(id=chat_id, kind="private", language=language, timezone="Asia/Riyadh",
                        digest_time="08:00", next_digest_at=NOW, news_languages=news,
                        pictures=pictures))  # fmt: skip
            db.flush()
            db.add_all(Subscription(chat_id=chat_id, topic_id=topics[s]) for s in slugs)
    return engine


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(bot_api.token, base_url=bot_api.base_url,
                   request=telegram_request(timeout=5)) as bot:  # fmt: skip
        yield bot


def sender(bot: Bot) -> Sender:
    return Sender(bot, Limiter(Limits(per_second=200, private_per_second=50)), backoff=0.05)


async def digests(newsroom: Engine, api: FakeBotAPI, bot: Bot) -> dict[int, list[dict]]:
    for chat_id in (ARABIC, ENGLISH, BOTH, NO_PICTURES, SPORTS):
        api.register(FakeBotAPI.private_chat(FakeBotAPI.user(chat_id)))
    assert plan_digests(newsroom, NOW, grace=GRACE, names=NAMES).planned == 5
    await Courier(newsroom, sender(bot)).send_unsent()
    return {c: api.messages(c) for c in (ARABIC, ENGLISH, BOTH, NO_PICTURES, SPORTS)}


def links(message: dict) -> dict[str, str]:
    """What each link of a message shows -> where it goes, as Telegram holds them."""
    units = message["text"].encode("utf-16-le")  # offsets count UTF-16 code units

    def shown(entity: dict) -> str:
        start, length = 2 * entity["offset"], 2 * entity["length"]
        return units[start : start + length].decode("utf-16-le")

    found: dict[str, str] = {}  # the first link of each text, in the message's order
    for entity in message.get("entities", []):
        if entity["type"] == "text_link":
            found.setdefault(shown(entity), entity["url"])
    return found


def line_of(message: dict, start: str) -> str:
    return next(line for line in message["text"].split("\n") if line.lstrip(RLM).startswith(start))


def lines_after(message: dict, headline: str, count: int) -> list[str]:
    lines = message["text"].split("\n")
    at_ = next(n for n, line in enumerate(lines) if headline in line)
    return lines[at_ : at_ + count]


async def test_an_english_chat_reads_english_news_with_its_picture_times_and_coverage(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot, news_site: NewsSite
) -> None:
    [digest] = (await digests(newsroom, bot_api, bot))[ENGLISH]
    text = digest["text"]
    assert text.startswith("📰 Your news digest – Tuesday 1 December\n\nEconomy\n• OPEC+")
    assert "Middle East" not in text and "غزة" not in text, "no report in English: left out"
    # The cross-language story in English: the English report's headline and summary, and
    # every outlet named, each linked to its own report; the time of its first report
    # (the Arabic one, 06:10 in Riyadh), not of the fetch.
    headline, summary, sources, related = lines_after(digest, "OPEC+ agrees", 4)
    assert headline == "• OPEC+ agrees to cut oil output from January"
    assert sources == f"Harbor Times, Northwind Post, {FSI}أخبار الوادي{PDI} · 06:10"
    found = links(digest)
    assert found["OPEC+ agrees to cut oil output from January"] == news_site.url("/en/oil.html")
    assert found["Harbor Times"] == news_site.url("/en/oil.html")
    assert found["Northwind Post"] == news_site.url("/en/oil-jumps.html")
    assert found[f"{FSI}أخبار الوادي{PDI}"] == news_site.url("/ar/oil.html")
    # An article of three sentences is not repeated whole.
    assert split_sentences(summary) == split_sentences(HARBOR_TEXT)[:2]
    # Related: the running story's earlier event, found by meaning; never a report the
    # sources line links (Northwind Post's own report of this story is not there).
    assert related == "Related: Markets brace for an OPEC+ output cut (Northwind Post, yesterday)"
    assert found["Markets brace for an OPEC+ output cut"] == news_site.url("/en/brace.html")
    assert "Oil jumps" not in text
    assert lines_after(digest, "Dock workers", 3)[2] == "Harbor Times · yesterday 22:10"
    # The top story's picture, above the text, drawn from its page.
    assert digest["link_preview_options"] == {
        "url": news_site.url("/en/oil.html"), "prefer_large_media": True, "show_above_text": True,
    }  # fmt: skip
    assert bot_api.preview(ENGLISH, digest["message_id"]) == {
        "url": news_site.url("/en/oil.html"), "image": news_site.url("/img/oil.jpg"),
        "above": True, "large": True,
    }  # fmt: skip
    # More of the section: a button within Telegram's limits.
    [[button]] = digest["reply_markup"]["inline_keyboard"]
    assert button["text"] == "➕ More: Economy"
    assert len(button["callback_data"].encode()) <= 64
    assert len(text) <= 4096 and len(digest["entities"]) <= MAX_ENTITIES


async def test_an_arabic_chat_reads_arabic_news_in_arabic_digits(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot, news_site: NewsSite
) -> None:
    [digest] = (await digests(newsroom, bot_api, bot))[ARABIC]
    text = digest["text"]
    assert text.startswith(
        f"{RLM}📰 موجز الأخبار – الثلاثاء ١ ديسمبر\n{RLM}اقتصاد · الشرق الأوسط\n"
    )
    assert "Dock workers" not in text and "Economy brief" not in text, "English only: left out"
    headline, summary, sources = lines_after(digest, "أوبك+ تتفق", 3)
    assert headline == f"• {RLM}أوبك+ تتفق على خفض إنتاج النفط من يناير"
    assert summary == f"{RLM}اتفقت دول أوبك+ على خفض الإنتاج بمليون برميل يوميا."
    assert sources == (f"{RLM}أخبار الوادي، {FSI}Harbor Times{PDI}، {FSI}Northwind Post{PDI}"
                       " · ٠٦:١٠"), "the English outlets still named"  # fmt: skip
    assert links(digest)[f"{FSI}Harbor Times{PDI}"] == news_site.url("/en/oil.html")
    assert lines_after(digest, "الرياض تستضيف", 3)[2] == f"{RLM}أخبار الوادي · أمس ٢٢:١٠"
    # The aid story's earlier event (Sunday's talks), by meaning; not its other report.
    aid = lines_after(digest, "مئة شاحنة", 4)
    assert aid[1] == f"{RLM}ما حدث، في كلمات قليلة."
    assert aid[2] == f"{RLM}صحيفة الساحل، أخبار الوادي · ٠٥:٠٠"
    assert aid[3] == f"{RLM}ذات صلة: بدء محادثات الهدنة في القاهرة (أخبار الوادي، الأحد)"
    assert "دخول قافلة" not in text
    assert digest["link_preview_options"]["url"] == news_site.url("/ar/oil.html")
    preview = bot_api.preview(ARABIC, digest["message_id"])
    assert preview is not None and preview["image"] == news_site.url("/img/oil-ar.jpg")


async def test_a_two_language_chat_reads_both_in_its_own_language_first(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    messages = (await digests(newsroom, bot_api, bot))[BOTH]
    text = "\n".join(m["text"] for m in messages)
    assert text.startswith("📰 Your news digest – Tuesday 1 December\nEconomy · Middle East\n")
    assert "• OPEC+ agrees to cut oil output from January" in text, "in its language first"
    assert "أوبك+ تتفق" not in text, "one story, shown once"
    assert f"• {RLM}مئة شاحنة مساعدات تعبر معبر رفح إلى قطاع غزة" in text
    assert "Dock workers" in text
    aid = lines_after(next(m for m in messages if "مئة شاحنة" in m["text"]), "مئة شاحنة", 3)
    assert aid[2] == f"{FSI}صحيفة الساحل{PDI}, {FSI}أخبار الوادي{PDI} · 05:00"
    for message in messages:
        assert len(message["text"]) <= 4096 and len(message.get("entities", [])) <= MAX_ENTITIES


async def test_no_picture_for_a_chat_that_turned_them_off_or_a_story_without_one(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    got = await digests(newsroom, bot_api, bot)
    [off] = got[NO_PICTURES]
    [sports] = got[SPORTS]
    assert "OPEC+ agrees" in off["text"] and "Cup final" in sports["text"]
    for chat, message in ((NO_PICTURES, off), (SPORTS, sports)):
        assert message["link_preview_options"] == {"is_disabled": True}
        assert bot_api.preview(chat, message["message_id"]) is None


async def test_a_digest_planned_then_crashed_and_sent_again_keeps_its_picture(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot, news_site: NewsSite
) -> None:
    """As a process leaves it when it stops between marking a message and its last byte:
    `sending`; the chat, read through the archive, does not have it, so it is sent."""
    archive = FakeBotAPI.channel(-1_007_100_000, "Archive")
    bot_api.add_bot(archive, FakeBotAPI.user(9999, "Operator"), status="administrator")
    bot_api.register(FakeBotAPI.private_chat(FakeBotAPI.user(ENGLISH)))
    plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    with session(newsroom) as db:
        planned = db.exec(select(Outgoing).where(Outgoing.chat_id == ENGLISH)).one()
        assert planned.id is not None and outgoing_store.hand_over(planned.id, session=db)
        for other in db.exec(select(Outgoing).where(Outgoing.chat_id != ENGLISH)):
            db.delete(other)
    report = await Courier(newsroom, sender(bot), witness=Witness(bot, archive["id"])).send_unsent()
    assert (report.settled, report.sent) == (1, 1)
    [digest] = bot_api.messages(ENGLISH)
    assert digest["link_preview_options"]["url"] == news_site.url("/en/oil.html")
    assert digest["link_preview_options"]["show_above_text"] is True
    assert digest["reply_markup"]["inline_keyboard"][0][0]["text"] == "➕ More: Economy"
