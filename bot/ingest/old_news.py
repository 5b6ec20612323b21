"""News older than KEEP_NEWS_DAYS that a source still lists: left out, and said so.

Taking such an article in would bring back what retention removed, so it is skipped;
but never in silence: each skip says which article and why, in the poll's Outcome
(`newsbot poll` prints it) and in the log (INFO the first time this process skips
it, DEBUG while the source keeps listing it).

Which date decides, when the feed and the article's page disagree: the page's. The
page states its own publication (article:published_time, JSON-LD datePublished, read
in the source's zone), while a feed restamps an item when it lists it again or edits
it, so a feed's date runs late, not early; the feed's date is used when the page gives
none. That is also why an item the feed already dates before the window is skipped
without its page being read: the page would only date it earlier still.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.ingest.feeds import FeedItem
from bot.ingest.urls import url_key
from bot.retention import cutoff
from storage.models import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Skipped:
    url: str
    reason: str


class OldNews:
    """Per source: the pages read and found too old (not read again while listed), and
    which skips the log has been told of."""

    def __init__(self, keep_days: int) -> None:
        self.keep_days = keep_days
        self._pages: dict[int, dict[str, Skipped]] = {}
        self._told: dict[int, set[str]] = {}

    def before_reading(
        self, source_id: int, items: list[FeedItem], now: dt.datetime
    ) -> tuple[list[FeedItem], list[Skipped]]:
        """The items worth reading, and the skipped: dated too old by the feed, or pages
        found too old at an earlier poll."""
        before = cutoff(now, self.keep_days)
        if before is None:
            return items, []
        skipped = [Skipped(i.link, f"the feed dates it {i.published:%Y-%m-%d}, {self._kept}")
                   for i in items if i.published is not None and i.published < before]  # fmt: skip
        items = [i for i in items if i.published is None or i.published >= before]
        remembered = self._pages.pop(source_id, {})
        if remembered:  # keyed only when there is something to look for
            listed = {url_key(i.link) for i in items}
            remembered = {key: why for key, why in remembered.items() if key in listed}
            items = [i for i in items if url_key(i.link) not in remembered]
            skipped += remembered.values()
            self._pages[source_id] = remembered
        return items, skipped

    def after_reading(
        self, source_id: int, pairs: list[tuple[FeedItem, Article]], now: dt.datetime
    ) -> tuple[list[tuple[FeedItem, Article]], list[Skipped]]:
        """The articles to store, and the skipped: those their page dates too old (a
        listing page dates nothing until the article's own page is read)."""
        before = cutoff(now, self.keep_days)
        if before is None:
            return pairs, []
        kept, skipped = [], []
        remembered = self._pages.setdefault(source_id, {})
        for item, draft in pairs:
            page = draft.published_at
            if page is None or page >= before:
                kept.append((item, draft))
                continue
            feed = f"the feed says {item.published:%Y-%m-%d}" if item.published else (
                "the listing gives no date")  # fmt: skip
            why = Skipped(item.link, f"its page dates it {page:%Y-%m-%d}, {self._kept}; {feed}")
            remembered[draft.url_key] = why
            skipped.append(why)
        if not remembered:
            del self._pages[source_id]
        return kept, skipped

    def tell(self, source_id: int, name: str, skipped: list[Skipped]) -> None:
        """Logs each skip: INFO the first time, DEBUG while it is still listed."""
        told = self._told.pop(source_id, set())
        now_told = set()
        for skip in skipped:
            key = url_key(skip.url)
            level = logging.DEBUG if key in told else logging.INFO
            log.log(level, "article skipped source_id=%s name=%s url=%s reason=%s",
                    source_id, name, skip.url, skip.reason)  # fmt: skip
            now_told.add(key)
        if now_told:
            self._told[source_id] = now_told

    @property
    def _kept(self) -> str:
        return f"before the {self.keep_days} days kept (KEEP_NEWS_DAYS)"
