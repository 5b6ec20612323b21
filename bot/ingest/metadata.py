"""What a page says about its article: JSON-LD, <meta>, <link>, <time>, <h1>.

Read from the whole page before the body is cleaned. Pure: a parsed page in,
a frozen Metadata out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.ingest.bylines import find_author, ld_name
from bot.ingest.dates import date_from_url, find_date_in_text, parse_date
from bot.ingest.jsonld import read_article
from bot.ingest.tags import find_tags
from bot.ingest.titles import choose_title

# How a page marks a time as an update, or as the publication.
_UPDATE = re.compile(r"(\(?\s*)(updated|modified|last\s+updated|edited|آخر\s+تحديث|محدثة|تحديث)|"
                     r"[-_]?(updated?|modified)", re.I)  # fmt: skip
_PUBLISHED = re.compile(r"publish|datepublished|created|posted", re.I)
_DATED_PROPERTIES = {"datepublished", "datemodified", "author", "dc:date", "dc:created",
                     "dcterms:created", "dcterms:issued", "dcterms:modified"}  # fmt: skip


@dataclass(frozen=True)
class Metadata:
    title: str
    canonical: str | None
    published: dt.datetime | None
    updated: dt.datetime | None
    author: str | None
    image: str | None
    language: str | None
    tags: tuple[str, ...]
    description: str | None
    site_name: str | None
    article_body: str | None  # JSON-LD articleBody, when the page gives one


def read_metadata(tree: LexborHTMLParser, url: str | None, *, zone: dt.tzinfo = dt.UTC) -> Metadata:
    """`zone`: where the page's times without an offset are meant (the source's zone)."""
    meta = _meta_values(tree)
    ld = read_article(tree)
    base = url or meta.get("og:url") or ""
    canonical = _attr(tree.css_first('link[rel="canonical"]'), "href") or meta.get("og:url")
    site_name = meta.get("og:site_name") or ld_name(ld.get("publisher"))
    published = (
        parse_date(_str(ld.get("datePublished")), zone)
        or _first_date(meta, zone, "article:published_time", "og:published_time",
                       "datepublished", "pubdate", "publishdate", "publish-date",
                       "dc.date.issued", "dcterms.created", "date", "sailthru.date",
                       "parsely-pub-date", "article.published", "dc:date",
                       "dcterms:issued", "dcterms:created", "dc:created")
        or _time_element(tree, zone)
        or date_from_url(canonical or url, zone)
        or _visible_date(tree, zone)
    )  # fmt: skip
    updated = parse_date(_str(ld.get("dateModified")), zone) or _first_date(
        meta, zone, "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified"
    )
    image = meta.get("og:image") or meta.get("twitter:image") or _ld_image(ld.get("image"))
    return Metadata(
        title=choose_title(tree, _stated_titles(ld, meta), site_name),
        canonical=urljoin(base, canonical) if canonical else None,
        published=published,
        updated=updated,
        author=find_author(ld, meta, tree),
        image=urljoin(base, image) if image else None,
        language=_language(tree, meta),
        tags=find_tags(tree, ld, meta, url or canonical),
        description=meta.get("og:description") or meta.get("description"),
        site_name=site_name,
        article_body=_str(ld.get("articleBody")),
    )


def _meta_values(tree: LexborHTMLParser) -> dict[str, str]:
    values: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = (attrs.get("content") or "").strip()
        if key and content:
            values.setdefault(key.strip().lower(), content)
    # Microdata and RDFa on any element: itemprop="datePublished", property="dc:date".
    for node in tree.css("[itemprop], [property][content]"):
        attrs = node.attributes
        key = (attrs.get("itemprop") or attrs.get("property") or "").lower()
        if key in _DATED_PROPERTIES and key not in values:
            value = attrs.get("content") or attrs.get("datetime")
            if value:
                values[key] = value
    return values


def _stated_titles(ld: dict[str, Any], meta: dict[str, str]) -> list[str]:
    found = [_str(ld.get("headline")), meta.get("og:title"), meta.get("twitter:title")]
    return [title for title in found if title]


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    if isinstance(value, dict):
        return _str(value.get("url"))
    return value if isinstance(value, str) else None


def _language(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html else None) or meta.get("og:locale") or ""
    lang = lang or meta.get("content-language") or meta.get("language") or ""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code or None


def _first_date(meta: dict[str, str], zone: dt.tzinfo, *keys: str) -> dt.datetime | None:
    for key in keys:
        if parsed := parse_date(meta.get(key), zone):
            return parsed
    return None


def _time_element(tree: LexborHTMLParser, zone: dt.tzinfo) -> dt.datetime | None:
    """The published time among the page's first <time>s: one marked as published, else
    the earliest of those not marked as an update (an update comes after)."""
    found = []
    for node in tree.css("time[datetime]")[:6]:
        if _is_update(node) or not (parsed := parse_date(node.attributes.get("datetime"), zone)):
            continue
        if _PUBLISHED.search(_marks(node)) or "pubdate" in node.attributes:
            return parsed
        found.append(parsed)
    return min(found[:3], key=lambda d: d.astimezone(dt.UTC)) if found else None


def _visible_date(tree: LexborHTMLParser, zone: dt.tzinfo) -> dt.datetime | None:
    selector = (
        '[class*="date"], [class*="time"], [id*="date"], [class*="publish"], '
        '[class*="created"], [class*="posted"], time'
    )
    for node in tree.css(selector)[:10]:
        if _is_update(node):
            continue
        if parsed := find_date_in_text(node.text(deep=True)[:200], zone):
            return parsed
    return None


def _is_update(node: LexborNode) -> bool:
    """A time or date label that says when the page was updated, not published."""
    text = node.text(deep=True).strip()[:40]
    parent = node.parent
    label = parent.text(deep=False).strip()[:40] if parent is not None else ""
    return bool(_UPDATE.search(_marks(node)) or _UPDATE.match(text) or _UPDATE.match(label))


def _marks(node: LexborNode) -> str:
    attrs = node.attributes
    return " ".join(v for k in ("class", "id", "itemprop") if (v := attrs.get(k)))


def _attr(node: LexborNode | None, name: str) -> str | None:
    return node.attributes.get(name) if node is not None else None


def _text(node: LexborNode | None) -> str:
    return node.text(deep=True) if node is not None else ""


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _clean(text: str) -> str:
    return " ".join(text.split())
