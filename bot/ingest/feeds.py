"""Feed bytes -> FeedItem list: RSS 0.9x/1.0/2.0 and Atom by feedparser, JSON Feed by json.

A feed with XML errors keeps the entries feedparser could read; a body that is
not a feed at all (an HTML page, an error page) raises FeedError. What a feed says
comes out printable (decode.printable): a NUL or half an emoji in one entry would
otherwise fail its source at every poll.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from bot.ingest.decode import printable, printable_or_none
from bot.ingest.urls import bounded_key


class FeedError(Exception):
    """The body is not a feed we can read; str() says what it looked like."""


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    link: str
    title: str
    summary: str  # plain text
    published: dt.datetime | None  # UTC-aware
    categories: tuple[str, ...] = ()
    image: str | None = None


@dataclass(frozen=True)
class Feed:
    title: str
    link: str | None
    items: list[FeedItem]
    problem: str | None = None  # a readable feed with errors: what was wrong


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> Feed:
    head = body[:512].lstrip()
    if "json" in (content_type or "") or head.startswith(b"{"):
        return _json_feed(body, url)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)  # fmt: skip
    if not parsed.version and not parsed.entries:
        looks = "an HTML page" if re.search(rb"<html|<!doctype html", head, re.I) else "no feed"
        reason = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        raise FeedError(f"not a feed, looks like {looks}{reason}")
    items = [item for entry in parsed.entries if (item := _rss_item(entry, url))]
    problem = None
    if parsed.get("bozo") and not isinstance(
        parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride
    ):
        problem = str(parsed.get("bozo_exception"))
    feed = parsed.get("feed", {})
    return Feed(_text(feed.get("title", "")), feed.get("link"), items, problem)


def _rss_item(entry: Any, base: str) -> FeedItem | None:
    link = entry.get("link") or _alternate(entry) or ""
    title = _text(entry.get("title", ""))
    if not link or not (title or entry.get("summary")):
        return None
    summary_html = entry.get("summary", "") or ""
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.datetime.fromtimestamp(calendar.timegm(when), dt.UTC) if when else None
    categories = tuple(
        term for tag in entry.get("tags", [])
        if (term := printable(tag.get("term") or "").strip())
    )  # fmt: skip
    return FeedItem(
        guid=_guid(entry.get("id")),
        link=urljoin(base, printable(link).strip()),
        title=title,
        summary=_text(summary_html),
        published=published,
        categories=categories,
        image=printable_or_none(_image(entry, summary_html, base)),
    )


def _alternate(entry: Any) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel") in (None, "alternate") and link.get("href"):
            return str(link["href"])
    return None


def _image(entry: Any, summary_html: str, base: str) -> str | None:
    for media in [*entry.get("media_content", []), *entry.get("media_thumbnail", [])]:
        if media.get("url") and media.get("medium", "image") == "image":
            return urljoin(base, str(media["url"]))
    for link in [*entry.get("enclosures", []), *entry.get("links", [])]:
        if str(link.get("type", "")).startswith("image/") and link.get("href"):
            return urljoin(base, str(link["href"]))
    if "<img" in summary_html:
        img = HTMLParser(summary_html).css_first("img[src]")
        if img is not None and img.attributes.get("src"):
            return urljoin(base, str(img.attributes["src"]))
    return None


def _text(html: str) -> str:
    html = printable(html)
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    tree = HTMLParser(f"<body>{html}</body>")
    body = tree.body  # a character reference (&#0;) becomes what it stands for here
    return " ".join(printable(body.text(separator=" ") if body else "").split())


def _json_feed(body: bytes, url: str) -> Feed:
    try:
        data = json.loads(body)
    except ValueError as error:
        raise FeedError(f"not a feed: broken JSON ({error})") from error
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError("not a feed: JSON without a jsonfeed.org version")
    items = []
    for entry in data.get("items", []):
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") or entry.get("external_url")
        title = _text(str(entry.get("title") or ""))
        summary = (
            entry.get("summary")
            or _text(str(entry.get("content_html") or ""))
            or str(entry.get("content_text") or "")
        )
        if not link:
            continue
        items.append(
            FeedItem(
                guid=_guid(entry.get("id")),
                link=urljoin(url, printable(str(link))),
                title=title,
                summary=" ".join(printable(str(summary)).split())[:2000],
                published=_iso(entry.get("date_published") or entry.get("date_modified")),
                categories=tuple(
                    c for t in entry.get("tags", []) if t and (c := printable(str(t)))
                ),
                image=printable_or_none(entry.get("image") or entry.get("banner_image")),
            )
        )
    return Feed(_text(str(data.get("title", ""))), data.get("home_page_url"), items)


def _iso(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _guid(value: object) -> str | None:
    """An entry's id as articles are told apart by it: printable, of bounded length."""
    guid = None if value is None else printable_or_none(str(value))
    return None if guid is None else bounded_key(guid)
