"""A news site's listing page (no feed) -> the article links on it, with their headlines.

With a CSS selector from the catalog, the links it selects; otherwise a
heuristic: links on the same site, outside navigation and footers, whose text
reads like a headline and whose path looks like an article. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_FURNITURE = ["script", "style", "noscript", "template", "svg", "nav", "footer", "header",
              "aside", "form", "menu"]  # fmt: skip
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|category|categories|section|author|authors|topic|topics|search|page|login|"
    r"register|subscribe|about|contact|privacy|terms|live-tv|video-?gallery)(/|$)",
    re.I,
)


@dataclass(frozen=True)
class ListingLink:
    title: str
    url: str


def extract_links(html: str, url: str, *, link_selector: str | None = None) -> list[ListingLink]:
    tree = LexborHTMLParser(html)
    if link_selector:
        anchors = [a for node in tree.css(link_selector) for a in _anchors(node)]
        return _unique(anchors, url, heuristic=False)
    tree.strip_tags(_FURNITURE)
    body = tree.body
    return _unique(body.css("a[href]") if body is not None else [], url, heuristic=True)


def _anchors(node: LexborNode) -> list[LexborNode]:
    return [node] if node.tag == "a" else node.css("a[href]")


def _unique(anchors: Iterable[LexborNode], base: str, *, heuristic: bool) -> list[ListingLink]:
    host = _host(base)
    found: dict[str, ListingLink] = {}
    for anchor in anchors:
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        absolute = urljoin(base, href).split("#", 1)[0]
        title = " ".join((anchor.text(deep=True) or anchor.attributes.get("title") or "").split())
        if heuristic and not _looks_like_article(absolute, title, host):
            continue
        if not title:
            continue
        current = found.get(absolute)
        if current is None or len(title) > len(current.title):
            found[absolute] = ListingLink(title, absolute)
    return list(found.values())


def _looks_like_article(url: str, title: str, host: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or _host(url) != host:
        return False
    if len(title) < 20 or len(title.split()) < 3:
        return False
    path = parts.path.rstrip("/")
    if not path or _NOT_ARTICLE.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    return bool(re.search(r"\d", path)) or last.count("-") >= 2 or len(segments) >= 3


def _host(url: str) -> str:
    return re.sub(r"^www\.", "", (urlsplit(url).hostname or "").lower())
