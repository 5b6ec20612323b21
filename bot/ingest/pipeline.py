"""refresh_source(): the one place where the stages of news in are strung together.

source due -> fetch (conditional GET) -> feed entries or listing links -> only the
new ones -> fetch each article page -> decode -> extract -> store -> ids of new
articles. A failure of the source counts against that source only (backoff,
Retry-After); a failed article page still stores what the feed said of it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.curation.abstractive import Summarizer
from bot.curation.curate import STORY_WINDOW, Curator
from bot.curation.embed import Embedder, Off, embed_text, pack
from bot.ingest.decode import decode
from bot.ingest.extract import Extracted, extract_article
from bot.ingest.feeds import FeedError, FeedItem, parse_feed
from bot.ingest.fetch import FetchError, FetchResult, fetch
from bot.ingest.listing import extract_links
from bot.ingest.old_news import OldNews, Skipped
from bot.ingest.urls import canonical_url, content_hash, url_key
from bot.language import clip
from bot.leader import process_name
from storage import articles as article_store
from storage import sources as source_store
from storage.db import session
from storage.models import Article, Source

log = logging.getLogger(__name__)
# Articles of one feed that the database refuses one after the other before the source
# fails: one alone is the article's (see _refresh), three in a row are the database's.
FAILED_IN_A_ROW = 3

MAX_ITEMS = 50  # newest entries looked at per poll
MAX_BACKOFF = dt.timedelta(hours=6)
# How long a claimed source is left to its poller: past the longest a refresh takes
# (every fetch has a deadline), after which a poller that died is taken to be dead.
CLAIM = dt.timedelta(minutes=15)
FILL_VECTORS = 256  # recent articles given a vector at a tick, when some have none
FAILING_AFTER = dt.timedelta(days=1)
# What one article may hold, whatever its feed or page says: a 5,000-character
# headline or a 100 KB "summary" would otherwise reach every chat on its topic.
MAX_TITLE = 300
MAX_LEAD = 1000
MAX_TEXT = 100_000
_BINARY = ("image/", "audio/", "video/", "application/pdf", "application/zip",
           "application/octet-stream", "font/")  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str  # new | unchanged | failed
    new_ids: tuple[int, ...] = ()
    seen: int = 0
    error: str | None = None
    skipped: tuple[Skipped, ...] = ()  # listed, left out (older than kept), with why


class Pipeline:
    """News in for one process: the shared client, the limits, the database."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        client: httpx.AsyncClient,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        concurrency: int = 8,
        per_host: int = 2,
        summarizer: Summarizer | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.client = client
        self.clock = clock
        self._sources = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self.embedder: Embedder = embedder or Off()
        self.curator = Curator(engine, settings.topics_path, clock=clock,
                               embedder_name=self.embedder.name)  # fmt: skip
        self.summarizer = summarizer
        # One feed's articles are stored at a time, and the story index is loaded in a
        # thread only while nothing else curates.
        self._storing = asyncio.Lock()
        # What is older than KEEP_NEWS_DAYS: left out, remembered, and said (old_news.py).
        self.old_news = OldNews(settings.keep_news_days)
        self._polls: set[asyncio.Task[list[Outcome]]] = set()  # see poll_in_background()
        self._vectors_done = False  # no recent article is left without a vector

    async def poll_due(self) -> list[Outcome]:
        """Claims every source whose time has come (no other process polls it
        meanwhile) and refreshes them, a few at a time; returns when all are done."""
        now = self.clock()
        with session(self.engine) as db:
            due = source_store.claim_due(now, holder=process_name(), until=now + CLAIM,
                                         session=db)  # fmt: skip
        async with self._storing:
            await asyncio.to_thread(self.curator.expire)
            await asyncio.to_thread(self.curator.fill_search_terms)
            await self.curator.embed_topics(self.embedder)
            await self._fill_vectors()
        quiet: list[source_store.SuccessfulCheck] = []
        outcomes = await asyncio.gather(*(self.refresh(source, quiet) for source in due))
        if quiet:  # the 304s of the tick, written together
            with session(self.engine) as db:
                source_store.record_successes(quiet, session=db)
        return list(outcomes)

    def poll_in_background(self) -> None:
        """Starts a poll of what is due now and returns at once: a slow source holds
        its own poll, never the next tick's sources (they are claimed apart)."""
        task = asyncio.create_task(self.poll_due(), name="poll_due")
        self._polls.add(task)
        task.add_done_callback(self._poll_done)

    def _poll_done(self, task: asyncio.Task[list[Outcome]]) -> None:
        self._polls.discard(task)
        if task.cancelled():
            return
        if (error := task.exception()) is not None:
            log.error("poll tick failed", exc_info=error)
            return
        outcomes = task.result()
        if outcomes:
            log.info("poll tick sources=%d new_articles=%d skipped=%d failed=%d", len(outcomes),
                     sum(len(o.new_ids) for o in outcomes), sum(len(o.skipped) for o in outcomes),
                     sum(1 for o in outcomes if o.status == "failed"))  # fmt: skip

    async def aclose(self, grace: float = 3.0) -> None:
        """Lets the polls still running finish for `grace` seconds, then stops them
        (their sources are due again when their claim runs out)."""
        if self._polls:
            await asyncio.wait(set(self._polls), timeout=grace)
        for task in list(self._polls):
            task.cancel()
        await asyncio.gather(*self._polls, return_exceptions=True)

    async def _embed(self, drafts: list[Article]) -> None:
        """What each new article means, from the embedder; without it (off, failing)
        they are placed by words, and embedded later (_fill_vectors)."""
        if not drafts or self.embedder.name == "off":
            return
        # What the topics mean, from the same embedder, once (done when it answers).
        await self.curator.embed_topics(self.embedder)
        texts = [embed_text(d.title, d.lead or d.text[:600]) for d in drafts]
        vectors = await self.embedder.embed(texts)
        if vectors is None:
            self._vectors_done = False  # to be embedded when the embedder is back
            return
        for draft, vector in zip(drafts, vectors, strict=True):
            draft.vector, draft.vector_model = pack(vector), self.embedder.name

    async def _fill_vectors(self) -> None:
        """Recent articles stored without a vector (the embedder was away, or another
        one made theirs) get one, a batch at each tick; their stories learn it. So do
        those another process on the database embedded after this one took them in."""
        if self.embedder.name == "off":
            return
        await asyncio.to_thread(self.curator.learn_stored_meanings)
        if self._vectors_done:
            return
        since = self.clock() - STORY_WINDOW
        with session(self.engine) as db:
            missing = article_store.without_vectors(since, self.embedder.name, FILL_VECTORS,
                                                    session=db)  # fmt: skip
        if not missing:
            self._vectors_done = True
            return
        vectors = await self.embedder.embed([embed_text(m.title, m.lead) for m in missing])
        if vectors is None:
            return
        await asyncio.to_thread(self.curator.learn_meanings, missing, vectors)

    async def refresh_source(self, source_id: int) -> Outcome:
        with session(self.engine) as db:
            source = db.get(Source, source_id)
        if source is None:
            return Outcome(str(source_id), "failed", error="no such source")
        return await self.refresh(source)

    async def refresh(
        self, source: Source, quiet: list[source_store.SuccessfulCheck] | None = None
    ) -> Outcome:
        """Polls one source, loaded beforehand (its row is only read here). A 304 is
        added to `quiet` for the caller to record, or recorded now without it."""
        async with self._sources:
            try:
                return await self._refresh(source, quiet)
            except (FetchError, FeedError) as error:
                return self._failed(source, error)
            except Exception as error:  # a bug must not stop the other sources
                log.exception("source crashed source_id=%s name=%s", source.id, source.name)
                return self._failed(source, error)

    async def _refresh(
        self, source: Source, quiet: list[source_store.SuccessfulCheck] | None
    ) -> Outcome:
        result = await self._fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        now = self.clock()
        if result.not_modified:
            if quiet is not None:
                quiet.append(self._check(source, result, now))
            else:
                self._succeeded(source, result, now)
            return Outcome(source.name, "unchanged")
        _refuse_binary(result)
        assert source.id is not None
        items = self._items(source, result)[:MAX_ITEMS]
        # Older than what is kept: taking it in would bring back what retention removed.
        items, skipped = self.old_news.before_reading(source.id, items, now)
        fresh, seen = self._new_items(source, items)
        found = await asyncio.gather(*(self._article(item, source) for item in fresh))
        pairs = [
            (item, _article(source, item, extracted, now))
            for item, extracted in zip(fresh, found, strict=True)
        ]
        pairs, too_old = self.old_news.after_reading(source.id, pairs, now)
        skipped += too_old
        self.old_news.tell(source.id, source.name, skipped)
        fresh, drafts = [i for i, _ in pairs], [d for _, d in pairs]
        if self.summarizer is not None and self.summarizer.enabled:
            abstracts = await asyncio.gather(
                *(self.summarizer.summarize(a.title, a.text, a.language or "en") for a in drafts)
            )
            for draft, abstract in zip(drafts, abstracts, strict=True):
                draft.summary = abstract
        await self._embed(drafts)
        new_ids = []
        failed_in_a_row = 0
        async with self._storing:
            # Loading stories and learning topic profiles take seconds: in a thread.
            await asyncio.to_thread(self.curator.prepare)
            for item, draft in zip(fresh, drafts, strict=True):
                # A unit of work per article, and the bot (sharing this event loop) gets
                # to answer between articles rather than after the whole feed. Nothing
                # is held open meanwhile: a write waiting on SQLite's lock inside the
                # loop would wait for a transaction that only the loop can finish.
                try:
                    with session(self.engine) as db:
                        article, topics = self.curator.store(
                            draft, now=now, categories=item.categories, session=db
                        )
                except Exception:
                    # One article the database refuses must not cost the feed's others,
                    # at every poll while it stays in the feed: it is left for the next
                    # poll. Several in a row are the database, and the source fails.
                    failed_in_a_row += 1
                    if failed_in_a_row >= FAILED_IN_A_ROW:
                        raise
                    log.exception("article not stored, left for the next poll source_id=%s "
                                  "url=%s", source.id, draft.url)  # fmt: skip
                    continue
                failed_in_a_row = 0
                if topics is not None and article.id is not None:  # a new one
                    new_ids.append(article.id)
                await asyncio.sleep(0)
        self._succeeded(source, result, now)
        log.info("source polled source_id=%s name=%s new=%d seen=%d skipped=%d",
                 source.id, source.name, len(new_ids), seen, len(skipped))  # fmt: skip
        return Outcome(source.name, "new", tuple(new_ids), seen, skipped=tuple(skipped))

    def _items(self, source: Source, result: FetchResult) -> list[FeedItem]:
        if source.kind == "listing":
            text = decode(result.body, result.content_type).text
            links = extract_links(text, result.url, link_selector=source.link_selector)
            return [FeedItem(None, link.url, link.title, "", None) for link in links]
        feed = parse_feed(result.body, url=result.url, content_type=result.content_type)
        if feed.problem:
            log.warning("feed has errors, kept %d entries source_id=%s name=%s problem=%s",
                        len(feed.items), source.id, source.name, feed.problem[:200])  # fmt: skip
        return [
            replace(item, title=clip(item.title, MAX_TITLE)) if len(item.title) > MAX_TITLE
            else item
            for item in feed.items
        ]  # fmt: skip

    def _new_items(self, source: Source, items: list[FeedItem]) -> tuple[list[FeedItem], int]:
        """Items not stored yet; a stored one whose headline changed is updated in place."""
        assert source.id is not None
        keys = {url_key(item.link): item for item in items}
        fresh: list[FeedItem] = []
        with session(self.engine) as db:
            known = article_store.known(
                source.id, url_keys=keys, guids=[i.guid for i in items if i.guid], session=db
            )
            for key, item in keys.items():
                stored = known.get(key) or (known.get(f"guid:{item.guid}") if item.guid else None)
                if stored is None:
                    fresh.append(item)
                elif item.title and stored.title != item.title:
                    stored.title = item.title
                    db.add(stored)
        return fresh, len(keys) - len(fresh)

    async def _article(self, item: FeedItem, source: Source) -> Extracted | None:
        try:
            result = await self._fetch(item.link)
            _refuse_binary(result)
            text = decode(result.body, result.content_type).text
            return extract_article(text, result.url, body_selector=source.body_selector,
                                   zone=_zone(source))  # fmt: skip
        except (FetchError, FeedError) as error:
            log.warning("article page failed, kept the feed's text source_id=%s url=%s reason=%s",
                        source.id, item.link, error)  # fmt: skip
            return None

    async def _fetch(self, url: str, **conditional: str | None) -> FetchResult:
        host = urlsplit(url).hostname or ""
        limit = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with limit:
            return await fetch(
                self.client,
                url,
                max_bytes=self.settings.http_max_bytes,
                allow_private=self.settings.allow_private_sources,
                **conditional,
            )

    def _interval(self, source: Source) -> dt.timedelta:
        seconds = source.poll_interval_seconds or self.settings.poll_interval_seconds
        return dt.timedelta(seconds=seconds * random.uniform(0.9, 1.1))

    def _check(
        self, source: Source, result: FetchResult, now: dt.datetime
    ) -> source_store.SuccessfulCheck:
        assert source.id is not None
        return source_store.SuccessfulCheck(
            source.id, now, now + self._interval(source), result.etag, result.last_modified
        )

    def _succeeded(self, source: Source, result: FetchResult, now: dt.datetime) -> None:
        with session(self.engine) as db:
            source_store.record_successes([self._check(source, result, now)], session=db)

    def _failed(self, source: Source, error: Exception) -> Outcome:
        now = self.clock()
        reason = str(error) or type(error).__name__
        with session(self.engine) as db:
            row = db.get(Source, source.id)
            if row is None:
                return Outcome(source.name, "failed", error=reason)
            delay = min(self._interval(source) * 2 ** min(row.error_count, 10), MAX_BACKOFF)
            wait = getattr(error, "retry_after", None)
            if wait is not None:
                delay = max(delay, dt.timedelta(seconds=wait))
            source_store.record_failure(row, now=now, next_check_at=now + delay, error=reason,
                                        session=db)  # fmt: skip
            failing = row.failing_since is not None and now - row.failing_since >= FAILING_AFTER
        log.warning("source failed source_id=%s name=%s reason=%s next_try_in=%ds%s",
                    source.id, source.name, reason, delay.total_seconds(),
                    " FAILING for over a day" if failing else "")  # fmt: skip
        return Outcome(source.name, "failed", error=reason)


def _refuse_binary(result: FetchResult) -> None:
    kind = (result.content_type or "").lower()
    # Servers label pages application/octet-stream often enough: look before refusing.
    looks_like_markup = result.body[:200].lstrip().startswith((b"<", b"{"))
    if kind.startswith(_BINARY) and not (
        kind.startswith("application/octet") and looks_like_markup
    ):
        raise FeedError(f"{result.url} is {kind.split(';')[0]}, not a page or a feed")


def _article(source: Source, item: FeedItem, found: Extracted | None, now: dt.datetime) -> Article:
    assert source.id is not None
    link = canonical_url(found.url if found and found.url else item.link)
    text = (found.text if found and found.paragraphs else item.summary)[:MAX_TEXT]
    # The page's own date wins over the feed's, which runs late (see old_news.py).
    published = (found.published if found else None) or item.published
    title = clip((found.title if found and found.title else item.title) or link, MAX_TITLE)
    lead = (found.lead if found else None) or (item.summary or None)
    language = (found.language if found else None) or source.language
    return Article(
        source_id=source.id,
        url=link,
        url_key=url_key(item.link),
        guid=item.guid,
        content_hash=content_hash(text),
        title=title,
        lead=clip(lead, MAX_LEAD) if lead else None,
        text=text,
        language=language,
        author=found.author if found else None,
        image_url=(found.image if found else None) or item.image,
        tags=list(found.tags if found and found.tags else item.categories),
        related=[{"title": r.title, "url": r.url} for r in (found.related if found else ())],
        published_at=published.astimezone(dt.UTC) if published else None,
        updated_at=found.updated.astimezone(dt.UTC) if found and found.updated else None,
        fetched_at=now,
    )


def _zone(source: Source) -> dt.tzinfo:
    """Where the source's pages mean times written without an offset (UTC if unsaid)."""
    try:
        return ZoneInfo(source.timezone) if source.timezone else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone, using UTC source_id=%s timezone=%s",
                    source.id, source.timezone)  # fmt: skip
        return dt.UTC
