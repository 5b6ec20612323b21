"""News in end to end: the real pipeline against the loopback news site."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import AsyncIterator
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import text as sql
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import MAX_BACKOFF, Outcome, Pipeline
from bot.language import stems
from bot.loopback.news_site import NewsSite
from storage import search
from storage.db import session
from storage.models import Article, Source, Story
from tests.conftest import make_settings
from tests.ingest.sample_site import BASE_TIME, article_page, publish_world, rss, words


@pytest.fixture
def fast_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, http_timeout_seconds=1.0, http_max_bytes=1_000_000,
                         poll_interval_seconds=600)  # fmt: skip


@pytest.fixture
async def pipeline(fast_settings: Settings, engine: Engine) -> AsyncIterator[Pipeline]:
    async with make_client(fast_settings) as client:
        yield Pipeline(fast_settings, engine, client)


def add_source(engine: Engine, name: str, url: str, **extra: object) -> int:
    with session(engine) as db:
        source = Source(name=name, url=url, origin="cli", **extra)
        db.add(source)
        db.flush()
        assert source.id is not None
        return source.id


def stored(engine: Engine) -> list[Article]:
    with session(engine) as db:
        return list(db.exec(select(Article).order_by(Article.id)))


def source_row(engine: Engine, source_id: int) -> Source:
    with session(engine) as db:
        row = db.get(Source, source_id)
        assert row is not None
        return row


async def test_new_articles_are_fetched_extracted_and_stored(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    urls = publish_world(news_site)
    source_id = add_source(engine, "World", news_site.url("/world.xml"))
    outcome = await pipeline.refresh_source(source_id)
    assert outcome.status == "new"
    articles = stored(engine)
    assert list(outcome.new_ids) == [a.id for a in articles]
    assert [a.url for a in articles] == urls
    first = articles[0]
    assert first.title == "World story number 1"
    assert first.text.startswith("Paragraph 1 about world 1: officials said")
    assert "Share" not in first.text
    assert first.published_at == dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.UTC)
    assert first.related == [{"title": "An older world story worth reading",
                              "url": news_site.url("/old/1"), "on_topic": True}]  # fmt: skip
    assert first.language == "en"
    assert first.guid == "world-1"
    assert first.summary is not None
    assert first.summary.startswith("Paragraph 1 about world 1")
    assert first.summary.count("Paragraph") == 2, "two sentences within the budget"
    row = source_row(engine, source_id)
    assert row.etag and row.last_success_at and row.error_count == 0
    assert row.next_check_at is not None
    assert (
        dt.timedelta(seconds=530)
        < row.next_check_at - row.last_success_at
        < dt.timedelta(seconds=670)
    ), "the poll interval, with jitter"


async def test_an_unchanged_feed_costs_one_304(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    publish_world(news_site)
    source_id = add_source(engine, "World", news_site.url("/world.xml"))
    await pipeline.refresh_source(source_id)
    before = len(news_site.requests)
    again = await pipeline.refresh_source(source_id)
    assert again.status == "unchanged"
    assert again.new_ids == ()
    assert len(news_site.requests) == before + 1
    assert news_site.requests[-1].headers.get("If-None-Match")


async def test_only_new_entries_are_fetched_and_a_changed_headline_updates(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    urls = publish_world(news_site, count=2)
    source_id = add_source(engine, "World", news_site.url("/world.xml"))
    await pipeline.refresh_source(source_id)
    news_site.put("/world/new.html", article_page("A brand new story", words("new")))
    news_site.put("/world.xml", rss([
        ("world-new", news_site.url("/world/new.html"), "A brand new story"),
        ("world-1", urls[0] + "?utm_source=rss", "World story number 1, updated headline"),
        ("world-2", urls[1], "World story number 2"),
    ]))  # fmt: skip
    requests_before = len(news_site.requests)
    outcome = await pipeline.refresh_source(source_id)
    articles = stored(engine)
    assert len(outcome.new_ids) == 1
    assert (outcome.seen, len(articles)) == (2, 3)
    assert articles[0].title == "World story number 1, updated headline"
    fetched = [r.path for r in news_site.requests[requests_before:]]
    assert fetched == ["/world.xml", "/world/new.html"]


async def test_the_same_article_through_two_feeds_is_stored_once(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    urls = publish_world(news_site, count=2)
    news_site.put("/top.xml", rss([("top-9", urls[0] + "?utm_medium=top&fbclid=x", "Top story")]))
    first = add_source(engine, "World", news_site.url("/world.xml"))
    second = add_source(engine, "Top", news_site.url("/top.xml"))
    assert len((await pipeline.refresh_source(first)).new_ids) == 2
    assert (await pipeline.refresh_source(second)).new_ids == ()
    # The same text under another address (a syndicated copy) is recognised too.
    news_site.put("/copy.html", article_page("World story number 2", words("world 2")))
    news_site.put("/top.xml", rss([("top-10", news_site.url("/copy.html"), "Copy")]))
    assert (await pipeline.refresh_source(second)).new_ids == ()
    assert len(stored(engine)) == 2
    # ... and its address is remembered: the next poll does not fetch the page again.
    news_site.put("/top.xml", rss([("top-10", news_site.url("/copy.html"), "Copy")],
                                  title="Top stories, changed"))  # fmt: skip
    assert (await pipeline.refresh_source(second)).seen == 1
    assert len(news_site.requests_to("/copy.html")) == 1


async def test_listing_page_source(pipeline: Pipeline, news_site: NewsSite, engine: Engine) -> None:
    for n in (1, 2):
        news_site.put(f"/news/2026/11/29/item-{n}", article_page(f"Listed story {n} today",
                                                                 words(f"listed {n}")))  # fmt: skip
    news_site.put(
        "/latest",
        """<html><body><nav><a href="/about">About us and our team</a></nav>
        <main><h2><a href="/news/2026/11/29/item-1">Listed story 1 today</a></h2>
        <h2><a href="/news/2026/11/29/item-2">Listed story 2 today</a></h2>
        <a href="/tag/politics">Politics stories from everywhere</a>
        <a href="https://elsewhere.test/2026/11/29/x">A story on another site entirely</a>
        </main></body></html>""",
    )
    source_id = add_source(engine, "Latest", news_site.url("/latest"), kind="listing")
    outcome = await pipeline.refresh_source(source_id)
    assert [a.title for a in stored(engine)] == ["Listed story 1 today", "Listed story 2 today"]
    assert len(outcome.new_ids) == 2


async def test_arabic_page_in_windows_1256_without_charset(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    text = [
        "افتتح وزير الثقافة اليوم معرض الكتاب بمشاركة ألف دار نشر من أربعين دولة، وسط إقبال.",
        "ويستمر المعرض عشرة أيام، ويضم ندوات وأمسيات شعرية وورش عمل للأطفال.",
    ]
    page = article_page("افتتاح معرض الكتاب الدولي", text, lang="ar").replace(
        '<meta charset="utf-8">', ""
    )
    news_site.put("/ar/1.html", page.encode("cp1256"), content_type="text/html")
    news_site.put("/ar.xml", rss([("ar-1", news_site.url("/ar/1.html"), "معرض الكتاب")]))
    source_id = add_source(engine, "Arabic", news_site.url("/ar.xml"), language="ar")
    await pipeline.refresh_source(source_id)
    [article] = stored(engine)
    assert article.title == "افتتاح معرض الكتاب الدولي"
    assert article.text.split("\n\n") == text
    assert article.language == "ar"


BAD_FEEDS = {
    "timeout": ({"delay": 3.0}, "timed out"),
    "server error": ({"status": 500}, "HTTP 500"),
    "rate limited": ({"status": 429, "retry_after": 7200}, "HTTP 429"),
    "redirect loop": ({"status": 302, "redirect_to": "/bad.xml"}, "redirects"),
    "huge": ({"size": 50_000_000}, "too large"),
    "truncated gzip": ({"truncate_gzip": True}, "broken gzip body"),
    "html page": ({"body": b"<!DOCTYPE html><html><body><p>Hi</p></body></html>",
                   "content_type": "text/html"}, "looks like an HTML page"),
    "binary": ({"body": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "content_type": "image/png"},
               "image/png, not a page or a feed"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FEEDS))
async def test_a_bad_source_fails_alone_with_one_clear_line(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, case: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    how, reason = BAD_FEEDS[case]
    publish_world(news_site)
    news_site.put("/bad.xml", rss([("b", news_site.url("/world/2026/11/29/story-1.html"), "B")]))
    news_site.rule("/bad.xml", **how)
    good = add_source(engine, "Good", news_site.url("/world.xml"))
    bad = add_source(engine, "Bad", news_site.url("/bad.xml"))
    with caplog.at_level(logging.WARNING, logger="bot.ingest.pipeline"):
        outcomes = await pipeline.poll_due()
    by_name = {o.source: o for o in outcomes}
    assert by_name["Good"].status == "new"
    assert len(by_name["Good"].new_ids) == 3
    assert by_name["Bad"].status == "failed"
    assert reason in (by_name["Bad"].error or "")
    [line] = [r.getMessage() for r in caplog.records if "source failed" in r.getMessage()]
    assert f"source_id={bad}" in line
    assert "name=Bad" in line
    assert reason in line
    bad_row, good_row = source_row(engine, bad), source_row(engine, good)
    assert (bad_row.error_count, good_row.error_count) == (1, 0)
    assert bad_row.failing_since is not None
    assert reason in (bad_row.last_error or "")
    assert len(stored(engine)) == 3


async def test_retry_after_is_honoured_and_failures_back_off(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    news_site.rule("/down.xml", status=503, retry_after=7200, times=1)
    news_site.rule("/down.xml", status=500)
    source_id = add_source(engine, "Down", news_site.url("/down.xml"))
    await pipeline.refresh_source(source_id)
    row = source_row(engine, source_id)
    assert row.next_check_at is not None and row.last_checked_at is not None
    assert row.next_check_at - row.last_checked_at >= dt.timedelta(seconds=7200)
    delays = []
    for _ in range(6):
        await pipeline.refresh_source(source_id)
        row = source_row(engine, source_id)
        assert row.next_check_at is not None and row.last_checked_at is not None
        delays.append(row.next_check_at - row.last_checked_at)
    assert delays[1] > delays[0] * 1.5, "exponential"
    assert max(delays) == MAX_BACKOFF, "capped"
    assert row.error_count == 7


async def test_broken_xml_keeps_its_entries_and_empty_feed_is_fine(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    urls = publish_world(news_site, count=2)
    broken = (
        rss([("1", urls[0], "Tom & Jerry"), ("2", urls[1], "Second")])
        .replace("</channel></rss>", "")
        .replace("&amp; Jerry", "& Jerry")
    )
    news_site.put("/broken.xml", broken)
    news_site.put("/empty.xml", rss([]))
    broken_id = add_source(engine, "Broken", news_site.url("/broken.xml"))
    empty_id = add_source(engine, "Empty", news_site.url("/empty.xml"))
    assert len((await pipeline.refresh_source(broken_id)).new_ids) == 2
    empty = await pipeline.refresh_source(empty_id)
    assert (empty.status, empty.new_ids) == ("new", ())
    assert source_row(engine, empty_id).error_count == 0


async def test_a_bad_article_page_keeps_what_the_feed_said(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    news_site.rule("/gone.html", status=404)
    news_site.put("/pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    news_site.put("/empty.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    items = [
        ("g", news_site.url("/gone.html"), "Gone page"),
        ("p", news_site.url("/pdf"), "A PDF report"),
        ("e", news_site.url("/empty.html"), "Empty page"),
    ]
    news_site.put("/mixed.xml", rss(items))
    source_id = add_source(engine, "Mixed", news_site.url("/mixed.xml"))
    outcome = await pipeline.refresh_source(source_id)
    articles = stored(engine)
    assert len(outcome.new_ids) == 3
    assert [a.title for a in articles] == ["Gone page", "A PDF report", "Empty page"]
    assert articles[0].text == "Summary of Gone page"
    assert articles[1].text == "Summary of A PDF report"
    assert articles[2].text == "Summary of Empty page"


async def test_private_sources_are_refused_when_not_allowed(
    news_site: NewsSite, engine: Engine, tmp_path: Path
) -> None:
    publish_world(news_site)
    strict = make_settings(tmp_path, allow_private_sources=False)
    source_id = add_source(engine, "Local", news_site.url("/world.xml"))
    async with make_client(strict) as client:
        outcome = await Pipeline(strict, engine, client).refresh_source(source_id)
    assert outcome.status == "failed"
    assert "private address" in (outcome.error or "")
    assert news_site.requests == []


async def test_a_tick_of_quiet_feeds_records_every_304(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    publish_world(news_site, count=1, prefix="one")
    publish_world(news_site, count=1, prefix="two")
    ids = [add_source(engine, n, news_site.url(f"/{n}.xml")) for n in ("one", "two")]
    await pipeline.poll_due()
    first = [source_row(engine, i).last_success_at for i in ids]
    with session(engine) as db:
        for source_id in ids:
            row = db.get(Source, source_id)
            assert row is not None
            row.next_check_at, row.error_count = None, 2
            db.add(row)
    outcomes = await pipeline.poll_due()
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    for source_id, before in zip(ids, first, strict=True):
        row = source_row(engine, source_id)
        assert row.last_success_at is not None and before is not None
        assert row.last_success_at > before
        assert row.next_check_at is not None and row.next_check_at > row.last_success_at
        assert row.error_count == 0
        assert row.etag
    assert await pipeline.poll_due() == [], "nothing is due any more"


async def test_articles_are_grouped_into_stories_across_sources(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, fast_settings: Settings
) -> None:
    wire = [
        "Water ministers from Egypt, Sudan and Ethiopia agreed on Sunday to share the flow "
        "of the Nile during droughts, after talks that ran through the night.",
        "The deal still needs the approval of the three parliaments and sets a minimum "
        "release from the dam in dry years, officials said.",
    ]
    pages = {
        "/a/nile.html": ("Egypt, Sudan and Ethiopia agree Nile dam deal", wire),
        "/b/nile.html": ("Nile dam deal agreed by Ethiopia, Egypt and Sudan", wire),
        "/b/cup.html": ("Real Madrid beat Bayern Munich in the Champions League",
                        words("football")),
    }  # fmt: skip
    for path, (title, text) in pages.items():
        news_site.put(path, article_page(title, text))

    # Outlet B is the same loopback server under another host name.
    def b(path: str) -> str:
        return news_site.url(path).replace("127.0.0.1", "localhost")

    news_site.put("/a.xml", rss([("a1", news_site.url("/a/nile.html"), "Nile deal")]))
    news_site.put("/b.xml", rss([("b1", b("/b/nile.html"), "Nile deal"),
                                 ("b2", b("/b/cup.html"), "Cup")]))  # fmt: skip
    await pipeline.refresh_source(add_source(engine, "A", news_site.url("/a.xml")))
    await pipeline.refresh_source(add_source(engine, "B", b("/b.xml")))
    nile_a, nile_b, cup = stored(engine)
    assert nile_a.story_id == nile_b.story_id != cup.story_id
    assert nile_b.copy_of_id == nile_a.id, "the same wire text"
    with session(engine) as db:
        story = db.get(Story, nile_a.story_id)
        assert story is not None
        assert (story.article_count, story.source_count) == (2, 2)
        assert {"nile", "dam"} <= set(story.terms)
    # After a restart the recent stories are rebuilt from storage.
    news_site.put("/c/nile.html", article_page("Nile dam deal: Ethiopia and Egypt sign", wire[1:]))
    news_site.put("/c.xml", rss([("c1", news_site.url("/c/nile.html"), "Nile")]))
    async with make_client(fast_settings) as client:
        restarted = Pipeline(fast_settings, engine, client)
        await restarted.refresh_source(add_source(engine, "C", news_site.url("/c.xml")))
    assert stored(engine)[-1].story_id == nile_a.story_id


async def test_new_articles_get_their_topics(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, settings: Settings
) -> None:
    from bot import catalog
    from storage import topics as topic_store

    with session(engine) as db:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=db)  # fmt: skip
    news_site.put("/e/oil.html", article_page("Oil prices jump after OPEC cuts output",
                                              words("oil markets")))  # fmt: skip
    news_site.put("/e.xml", rss([("e1", news_site.url("/e/oil.html"), "Oil")]))
    outcome = await pipeline.refresh_source(add_source(engine, "E", news_site.url("/e.xml")))
    with session(engine) as db:
        topics = topic_store.of_article(outcome.new_ids[0], session=db)
    assert topics[0][0] == "energy"
    assert all(0 < score <= 1 for _, score in topics)


async def test_page_links_are_marked_on_topic_or_not(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    related = [("Dam talks to resume in Washington", "/r/1"), ("Ten recipes for summer", "/r/2")]
    news_site.put("/d/dam.html", article_page("Dam talks collapse again", words("dam"),
                                              related=related))  # fmt: skip
    news_site.put("/d.xml", rss([("d1", news_site.url("/d/dam.html"), "Dam")]))
    await pipeline.refresh_source(add_source(engine, "D", news_site.url("/d.xml")))
    [article] = stored(engine)
    assert [(link["title"], link["on_topic"]) for link in article.related] == [
        ("Dam talks to resume in Washington", True),
        ("Ten recipes for summer", False),
    ]


async def test_page_times_without_offset_are_read_in_the_sources_zone(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    for prefix, zone in (("riyadh", "Asia/Riyadh"), ("unsaid", None)):
        path = f"/{prefix}/1.html"
        page = article_page(f"{prefix.title()} budget approved by the council", words(prefix),
                            published="2026-11-29T09:00:00")  # fmt: skip
        news_site.put(path, page)
        news_site.put(f"/{prefix}.xml", rss([(f"{prefix}-1", news_site.url(path), "Budget")]))
        source_id = add_source(engine, prefix, news_site.url(f"/{prefix}.xml"), timezone=zone)
        assert (await pipeline.refresh_source(source_id)).status == "new"
    riyadh, unsaid = stored(engine)
    assert riyadh.published_at == dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.UTC)
    assert unsaid.published_at == dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


async def test_feed_items_older_than_what_is_kept_are_not_taken_in(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    """KEEP_NEWS_DAYS removes old news; an old item still listed in a feed must not come
    back in as new after its article was removed."""
    for n, title in ((1, "A story from this morning"), (2, "A story from last winter")):
        news_site.put(f"/old/{n}.html", article_page(title, words(f"keep {n}")))
    now = dt.datetime.now(dt.UTC)
    morning, winter = (format_datetime(now - dt.timedelta(hours=h)) for h in (2, 24 * 200))
    news_site.put("/keep.xml", (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Keep</title>'
        f'<item><guid>k1</guid><link>{news_site.url("/old/1.html")}</link><title>Morning</title>'
        f"<pubDate>{morning}</pubDate></item>"
        f'<item><guid>k2</guid><link>{news_site.url("/old/2.html")}</link><title>Winter</title>'
        f"<pubDate>{winter}</pubDate></item></channel></rss>"
    ))  # fmt: skip
    source_id = add_source(engine, "Keep", news_site.url("/keep.xml"))
    outcome = await pipeline.refresh_source(source_id)
    assert len(outcome.new_ids) == 1
    assert [a.title for a in stored(engine)] == ["A story from this morning"]
    assert news_site.requests_to("/old/2.html") == []
    # ... and said: which one, and why.
    long_ago = now - dt.timedelta(hours=24 * 200)
    assert [(s.url, s.reason) for s in outcome.skipped] == [(
        news_site.url("/old/2.html"),
        f"the feed dates it {long_ago:%Y-%m-%d}, before the 90 days kept (KEEP_NEWS_DAYS)",
    )]  # fmt: skip


async def test_the_event_loop_is_released_between_articles(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine
) -> None:
    """The bot's replies share the pipeline's event loop: storing a feed of new articles
    must let them run between articles, not only once the whole feed is done."""
    publish_world(news_site, count=3)
    source_id = add_source(engine, "World", news_site.url("/world.xml"))
    pipeline.curator.prepare()  # loaded here, so the loop below only reads it
    seen_sizes: set[int] = set()
    refresh = asyncio.ensure_future(pipeline.refresh_source(source_id))
    while not refresh.done():
        seen_sizes.add(len(pipeline.curator.story_index()))
        await asyncio.sleep(0)
    assert len((await refresh).new_ids) == 3
    assert seen_sizes & {1, 2}, f"other tasks ran only before or after the feed: {seen_sizes}"


async def test_a_story_counts_each_source_once_even_after_a_restart(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, fast_settings: Settings
) -> None:
    facts = [
        "Water ministers from Egypt, Sudan and Ethiopia agreed to share the Nile's flow "
        "during droughts, after talks on the dam that ran through the night.",
        "The Nile dam deal still needs the approval of the three parliaments, officials "
        "of Egypt, Sudan and Ethiopia said.",
    ]
    titles = {"/a/1.html": "Nile dam deal agreed", "/a/2.html": "Nile dam deal agreed by Egypt",
              "/b/1.html": "Nile dam deal agreed, Ethiopia says",
              "/a/3.html": "Nile dam deal agreed after talks",
              "/b/2.html": "Nile dam deal agreed by Sudan"}  # fmt: skip
    for path, title in titles.items():
        news_site.put(path, article_page(title, [f"{fact} ({path})" for fact in facts]))

    def feed(name: str, *paths: str) -> None:
        news_site.put(f"/{name}.xml", rss([(p, news_site.url(p), titles[p]) for p in paths]))

    def story() -> Story:
        with session(engine) as db:
            rows = db.exec(select(Story)).all()
            assert len(rows) == 1, [(r.headline, r.article_count) for r in rows]
            return rows[0]

    source_a = add_source(engine, "A", news_site.url("/a.xml"))
    source_b = add_source(engine, "B", news_site.url("/b.xml"))
    feed("a", "/a/1.html", "/a/2.html")
    await pipeline.refresh_source(source_a)
    assert (story().article_count, story().source_count) == (2, 1), "one source, twice"
    feed("b", "/b/1.html")
    await pipeline.refresh_source(source_b)
    assert (story().article_count, story().source_count) == (3, 2)
    # B's article leaves the recent window; after a restart the story still has B.
    with session(engine) as db:
        for article in db.exec(select(Article).where(Article.source_id == source_b)):
            article.fetched_at -= dt.timedelta(hours=80)
            db.add(article)
    async with make_client(fast_settings) as client:
        restarted = Pipeline(fast_settings, engine, client)
        feed("a", "/a/1.html", "/a/2.html", "/a/3.html")
        await restarted.refresh_source(source_a)
        feed("b", "/b/1.html", "/b/2.html")
        await restarted.refresh_source(source_b)
    assert (story().article_count, story().source_count) == (5, 2)


async def test_a_listed_page_older_than_what_is_kept_is_not_stored(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """A listing page dates nothing: the article's own date decides, once it is read."""
    now = dt.datetime.now(dt.UTC)
    for n, age in ((1, dt.timedelta(hours=2)), (2, dt.timedelta(days=200))):
        news_site.put(f"/news/2026/item-{n}", article_page(
            f"Listed story {n} from the archive page", words(f"listed {n}"),
            published=(now - age).isoformat()))  # fmt: skip
    news_site.put("/latest", "<html><body><main>" + "".join(
        f'<h2><a href="/news/2026/item-{n}">Listed story {n} from the archive page</a></h2>'
        for n in (1, 2)) + "</main></body></html>")  # fmt: skip
    source_id = add_source(engine, "Latest", news_site.url("/latest"), kind="listing")
    with caplog.at_level(logging.DEBUG, logger="bot.ingest.old_news"):
        outcome = await pipeline.refresh_source(source_id)
    assert [a.title for a in stored(engine)] == ["Listed story 1 from the archive page"]
    assert len(outcome.new_ids) == 1
    why = (f"its page dates it {now - dt.timedelta(days=200):%Y-%m-%d}, before the 90 days "
           "kept (KEEP_NEWS_DAYS); the listing gives no date")  # fmt: skip
    old_page = news_site.url("/news/2026/item-2")
    assert [(s.url, s.reason) for s in outcome.skipped] == [(old_page, why)]
    said = f"article skipped source_id={source_id} name=Latest url={old_page} reason={why}"
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("INFO", said)]
    # ... and, while the page stays listed, it is not read again at each poll.
    news_site.put("/latest", "<html><body><main>" + "".join(
        f'<h2><a href="/news/2026/item-{n}">Listed story {n} from the archive page</a></h2>'
        for n in (3, 1, 2)) + "</main></body></html>")  # fmt: skip
    newer = article_page("Listed story 3 from the archive page", words("listed 3"),
                         published=now.isoformat())  # fmt: skip
    news_site.put("/news/2026/item-3", newer)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="bot.ingest.old_news"):
        again = await pipeline.refresh_source(source_id)
    assert len(again.new_ids) == 1
    assert len(news_site.requests_to("/news/2026/item-2")) == 1
    assert [(s.url, s.reason) for s in again.skipped] == [(old_page, why)], "still said"
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("DEBUG", said)], (
        "the log is told once at INFO, not at every poll"
    )


async def test_search_terms_a_migration_blanked_are_worked_out_again(
    pipeline: Pipeline, news_site: NewsSite, engine: Engine, fast_settings: Settings
) -> None:
    publish_world(news_site, count=2)
    add_source(engine, "World", news_site.url("/world.xml"))
    await pipeline.poll_due()
    query = stems("world story number")

    def found() -> int:
        with session(engine) as db:
            return len(search.search(query, session=db))

    before = found()
    assert before > 0
    with session(engine) as db:  # what migration 0011 does when stems change
        db.execute(sql("UPDATE article SET search_terms = ''"))
    assert found() == 0
    async with make_client(fast_settings) as client:  # the bot started again
        await Pipeline(fast_settings, engine, client).poll_due()
    assert found() == before


@pytest.mark.parametrize("any_engine", ["sqlite", "postgresql"], indirect=True)
async def test_control_characters_in_a_feed_cost_no_article(
    fast_settings: Settings, any_engine: Engine, news_site: NewsSite
) -> None:
    """Feeds carry what XML forbids (a NUL byte, &#0;, other control characters) and
    JSON feeds a lone half of an emoji cut in two: PostgreSQL refuses a NUL in text and
    neither database takes a lone surrogate. Each article is stored without them, and
    the feed's other articles with it, rather than the source failing at every poll."""
    now = format_datetime(BASE_TIME)
    dirty = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire\x00'
        "</title><link>/</link>"
        f"<item><guid>n-1\x00</guid><link>{news_site.url('/gone/1')}</link>"
        "<title>Quake\x00 hits the coast\x07</title><category>World\x1b</category>"
        f"<description>Rescuers &#0;reached the town\x0b at dawn.</description><pubDate>{now}"
        f"</pubDate></item><item><guid>n-2</guid><link>{news_site.url('/gone/2')}</link>"
        f"<title>Markets calm after the quake</title><description>Shares rose.</description>"
        f"<pubDate>{now}</pubDate></item></channel></rss>"
    ).encode()
    json_feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": ['
        f'{{"id": "j-1", "url": "{news_site.url("/gone/3")}", "title": "Flood warning \\ud83c",'
        ' "content_text": "Rivers rose \\u0000overnight \\udfa5 in the north."},'
        f'{{"id": "j-2", "url": "{news_site.url("/page/4")}", "title": "Rain eases in the north",'
        ' "content_text": "The rain eased by noon."}]}'
    )
    # The page of the last one describes it in JSON-LD, escaping the same.
    ld = ('{"@type": "NewsArticle", "headline": "Rain eases in the north \\ud83c",'
          ' "author": {"@type": "Person", "name": "Sara\\u0000 Haddad"}}')  # fmt: skip
    news_site.put("/page/4", article_page("Rain eases in the north", words("the rain")).replace(
        "</head>", f'<script type="application/ld+json">{ld}</script></head>'))  # fmt: skip
    rss_id = add_source(any_engine, "Wire", news_site.put("/dirty.xml", dirty))
    json_url = news_site.put("/dirty.json", json_feed, "application/feed+json")
    json_id = add_source(any_engine, "Wire JSON", json_url)
    async with make_client(fast_settings) as client:
        pipeline = Pipeline(fast_settings, any_engine, client)
        outcomes = [await pipeline.refresh_source(rss_id), await pipeline.refresh_source(json_id)]
    assert [(o.status, len(o.new_ids)) for o in outcomes] == [("new", 2), ("new", 2)]
    articles = {a.guid: a for a in stored(any_engine)}
    assert (articles["n-1"].title, articles["n-1"].text) == (
        "Quake hits the coast", "Rescuers reached the town at dawn.")  # fmt: skip
    assert articles["n-1"].tags == ["World"]
    assert (articles["j-1"].title, articles["j-1"].text) == (
        "Flood warning", "Rivers rose overnight in the north.")  # fmt: skip
    assert (articles["j-2"].title, articles["j-2"].author) == ("Rain eases in the north",
                                                               "Sara Haddad")  # fmt: skip
    assert source_row(any_engine, rss_id).error_count == 0


def refuse_guids(engine: Engine, prefix: str) -> None:
    """The database refuses every article whose feed id starts with `prefix`, as a
    full disk, a quota or a constraint added by hand would: a trigger of its own."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                sql(
                    "CREATE FUNCTION refuse_article() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.guid LIKE '{prefix}%' THEN RAISE EXCEPTION 'row refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sql(
                    "CREATE TRIGGER refuse BEFORE INSERT ON article FOR EACH "
                    "ROW EXECUTE FUNCTION refuse_article()"
                )
            )
        else:
            connection.execute(
                sql(
                    "CREATE TRIGGER refuse BEFORE INSERT ON article "
                    f"WHEN NEW.guid LIKE '{prefix}%' BEGIN SELECT RAISE(ABORT, 'row refused'); END"
                )
            )


async def poll_refusing(
    settings: Settings, engine: Engine, site: NewsSite, items: list[tuple[str, str, str]]
) -> tuple[Outcome, int]:
    """A feed of these items polled once, the database refusing those whose id starts
    with "refused"; the outcome and the source's id."""
    site.put("/refused.xml", rss(items))
    source_id = add_source(engine, "Refusing", site.url("/refused.xml"))
    refuse_guids(engine, "refused")
    async with make_client(settings) as client:
        return await Pipeline(settings, engine, client).refresh_source(source_id), source_id


@pytest.mark.parametrize("any_engine", ["sqlite", "postgresql"], indirect=True)
async def test_an_article_the_database_refuses_costs_the_feed_nothing_else(
    fast_settings: Settings, any_engine: Engine, news_site: NewsSite,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    """The article is named in the log and the feed's other articles are stored, before
    it and after it; the source does not fail."""
    urls = publish_world(news_site, count=3)
    items = [("1", urls[0], "First"), ("refused-9", urls[2], "Refused"), ("2", urls[1], "Second")]
    outcome, source_id = await poll_refusing(fast_settings, any_engine, news_site, items)
    assert outcome.status == "new"
    assert {a.guid for a in stored(any_engine)} == {"1", "2"}
    assert source_row(any_engine, source_id).error_count == 0
    assert any("article not stored" in r.message and urls[2] in r.message
               for r in caplog.records)  # fmt: skip


@pytest.mark.parametrize("any_engine", ["sqlite", "postgresql"], indirect=True)
async def test_a_link_of_8000_characters_is_stored_on_every_database(
    fast_settings: Settings, any_engine: Engine, news_site: NewsSite
) -> None:
    """A tracking query gone wild, the link its entry's id too, as many feeds have it:
    PostgreSQL cannot index a key that long (2,704 bytes at most, after compression; a
    repeated character compresses under it, hex digests do not). Stored all the same,
    whole, and found again at the next poll: not stored twice."""
    urls = publish_world(news_site, count=2)
    token = "".join(hashlib.sha256(str(n).encode()).hexdigest() for n in range(125))
    long = news_site.url(f"/world/2026/11/29/story-9.html?utm={token}")
    items = [("1", urls[0], "First"), (long, long, "Long"), ("2", urls[1], "Second")]
    news_site.put("/long.xml", rss(items))
    source_id = add_source(any_engine, "Long", news_site.url("/long.xml"))
    async with make_client(fast_settings) as client:
        pipeline = Pipeline(fast_settings, any_engine, client)
        first = await pipeline.refresh_source(source_id)
        news_site.put("/long.xml", rss([*items, ("3", urls[0] + "?p=3", "Third")]))
        again = await pipeline.refresh_source(source_id)
    assert first.status == "new" and len(first.new_ids) == 3
    assert len(again.new_ids) == 0, "the long link is known: nothing new, nothing twice"
    articles = {a.guid: a for a in stored(any_engine)}
    assert len(articles) == 3 and {"1", "2"} < set(articles)
    [kept] = [a for a in articles.values() if a.guid not in ("1", "2")]
    assert kept.url == long, "the link is stored whole"
    assert source_row(any_engine, source_id).error_count == 0


@pytest.mark.parametrize("any_engine", ["sqlite", "postgresql"], indirect=True)
async def test_articles_refused_three_in_a_row_fail_the_source(
    fast_settings: Settings, any_engine: Engine, news_site: NewsSite
) -> None:
    """Three in a row is how a database that refuses everything looks: the source fails,
    as it did before, and is tried again later."""
    urls = publish_world(news_site, count=4)
    refused = [(f"refused-{n}", urls[n], f"Refused {n}") for n in (1, 2, 3)]
    items = [("1", urls[0], "First"), *refused]
    outcome, source_id = await poll_refusing(fast_settings, any_engine, news_site, items)
    assert outcome.status == "failed"
    assert [a.guid for a in stored(any_engine)] == ["1"]
    assert source_row(any_engine, source_id).error_count == 1
