"""A URL someone wants to follow -> the feed behind it, or the page as a listing page.

Tries, in order: the URL itself as a feed; the feeds the page announces with
<link rel="alternate">; the usual feed paths of the site; and last the page as
a listing of article links.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser

from bot.config import Settings
from bot.ingest.decode import decode
from bot.ingest.feeds import Feed, FeedError, parse_feed
from bot.ingest.fetch import FetchError, fetch
from bot.ingest.listing import extract_links
from storage.models import Source

DISCOVER_DEADLINE = 3  # fetches' worth of time to find a site's feed
COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml",
                "/feeds/all.atom.xml", "/rss/", "/feed/")  # fmt: skip
_FEED_TYPES = re.compile(r"rss|atom|feed\+json|rdf", re.I)
_ARABIC = re.compile(r"[\u0600-\u06ff]")


class DiscoverError(Exception):
    """Nothing to follow at that URL; str() says what was found instead."""

    reason = "nothing_to_follow"


@dataclass(frozen=True)
class Discovered:
    url: str
    kind: str  # feed | listing
    name: str
    homepage: str | None
    language: str  # ar | en


async def discover_source(
    client: httpx.AsyncClient, url: str, settings: Settings, *, origin: str,
    name: str | None = None, language: str | None = None,
) -> Source:  # fmt: skip
    """The source row to store for `url` (not stored yet); `name` and `language` override
    what the site says of itself. Raises FetchError or DiscoverError."""
    # Each fetch has its deadline; looking in several places has one of its own.
    deadline = settings.http_timeout_seconds * DISCOVER_DEADLINE
    try:
        async with asyncio.timeout(deadline):
            found = await discover(client, url, max_bytes=settings.http_max_bytes,
                                   allow_private=settings.allow_private_sources)  # fmt: skip
    except TimeoutError:
        raise FetchError(f"timed out looking for a feed at {url} ({deadline:.0f}s)",
                         "timeout") from None  # fmt: skip
    return Source(name=name or found.name, url=found.url, homepage=found.homepage,
                  kind=found.kind, language=language or found.language, origin=origin,
                  verified=True)  # fmt: skip


async def discover(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, allow_private: bool
) -> Discovered:
    async def get(target: str) -> tuple[str, bytes, str | None]:
        result = await fetch(client, target, max_bytes=max_bytes, allow_private=allow_private)
        return result.url, result.body, result.content_type

    final, body, kind = await get(url)
    feed = _as_feed(body, final, kind)
    if feed is not None:
        return _from_feed(feed, final)
    html = decode(body, kind).text
    tree = LexborHTMLParser(html)
    announced = [
        urljoin(final, node.attributes.get("href") or "")
        for node in tree.css('link[rel~="alternate"][href]')
        if _FEED_TYPES.search(node.attributes.get("type") or "")
    ]
    root = "{0.scheme}://{0.netloc}".format(urlsplit(final))
    for candidate in [*announced, *(root + path for path in COMMON_PATHS)]:
        try:
            found_url, found_body, found_kind = await get(candidate)
        except FetchError:
            continue
        feed = _as_feed(found_body, found_url, found_kind)
        if feed is not None and feed.items:
            return _from_feed(feed, found_url, homepage=final)
    links = extract_links(html, final)
    if len(links) < 3:
        raise DiscoverError(f"no feed and no list of article links at {final}")
    title_node = tree.css_first('meta[property="og:site_name"]') or tree.css_first("title")
    name = (
        (title_node.attributes.get("content") or title_node.text(deep=True))
        if title_node is not None
        else ""
    )
    sample = " ".join(link.title for link in links[:10])
    return Discovered(final, "listing", _name(name, final), final, _language(sample))


def _as_feed(body: bytes, url: str, kind: str | None) -> Feed | None:
    try:
        return parse_feed(body, url=url, content_type=kind)
    except FeedError:
        return None


def _from_feed(feed: Feed, url: str, homepage: str | None = None) -> Discovered:
    sample = " ".join(item.title for item in feed.items[:10]) or feed.title
    return Discovered(url, "feed", _name(feed.title, url), feed.link or homepage,
                      _language(sample))  # fmt: skip


def _name(title: str, url: str) -> str:
    title = " ".join(title.split())
    return title[:80] if title else (urlsplit(url).hostname or url)


def _language(sample: str) -> str:
    letters = re.findall(r"[^\W\d_]", sample)
    arabic = len(_ARABIC.findall(sample))
    return "ar" if letters and arabic / len(letters) > 0.3 else "en"
