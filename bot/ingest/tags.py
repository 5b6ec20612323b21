"""The article's tags: its own tag and topic links, else the keywords its metadata lists.

Tag links are links with rel="tag" or whose path names a tag, topic, keyword
or label page (/tag/..., /tags/..., /topic/..., /trend/...); links in the
site's navigation, and in the page's header and footer outside the article,
are the site's, not the article's. When the page has an <article> holding tag
links, only those are read. Pure.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_TAGS = 20
_TAG_PATH = re.compile(
    r"/(tags?|topics?|keywords?|labels?|subjects?|themes?|trends?|hashtags?|stichworte?|"
    r"etiquetas?|schlagwort)/[^/?#]+/?(\?|#|$)",
    re.I,
)
_PATH_WORDS = ("tag", "topic", "keyword", "label", "subject", "theme", "trend", "hashtag",
               "stichwort", "etiqueta", "schlagwort")  # fmt: skip
# A first sieve in C; _TAG_PATH then says which of these are tag pages.
_CANDIDATES = ", ".join(['a[rel~="tag"]', *(f'a[href*="/{w}" i]' for w in _PATH_WORDS)])
_NOT_TAGS = re.compile(r"^(tags?|topics?|keywords?|more|all\s+topics|see\s+all|الوسوم)$", re.I)
# What labels a lone tag link: "Topic: ...", "Filed under ...", "الموضوع: ..."
_LABEL = re.compile(
    r"(topics?|story|filed\s+(to|under)|tags?|الموضوع|الوسوم|القصة|ملف)\s*:?\s*$", re.I
)
_PREFIX = re.compile(r"^(filed\s+(to|under)|tags?|topics?)\s*:\s*", re.I)
_MACHINE = re.compile(r"^[\w.-]+:\S+$")  # "Lite:true", "RSBI:HUMAN-RIGHTS": a CMS's codes
_COUNT = re.compile(r"\s*\(\d+\)$")  # "فيروس كورونا (423)": the label's count of stories


def find_tags(
    tree: LexborHTMLParser, ld: dict[str, Any], meta: dict[str, str], url: str | None
) -> tuple[str, ...]:
    """`url`: the page's own; tag links to other sites (an embedded tweet's hashtags) are
    not the article's."""
    linked = _linked_tags(tree, _host(url))
    return linked if linked else _keywords(ld, meta)


def _linked_tags(tree: LexborHTMLParser, host: str) -> tuple[str, ...]:
    anchors = [a for a in tree.css(_CANDIDATES) if _is_tag_link(a, host)]
    grouped = _in_tag_lists(anchors)
    anchors = [a for a in anchors if a.mem_id in grouped or _labelled(a)]
    inside = [a for a in anchors if _within(a, ("article",))]
    found: dict[str, None] = {}
    for anchor in inside or anchors:
        if _within(anchor, ("nav", "menu")) or (
            not _within(anchor, ("article", "main")) and _within(anchor, ("header", "footer"))
        ):
            continue
        text = _COUNT.sub("", _PREFIX.sub("", _visible_text(anchor))).strip("#·,| ")
        if 2 <= len(text) <= 60 and not _NOT_TAGS.match(text):
            found.setdefault(text, None)
    return tuple(found)[:MAX_TAGS]


def _in_tag_lists(anchors: list[LexborNode]) -> set[int]:
    """The tag links that stand in a list of them (two or more under one parent, up to
    three levels up), not alone on a card beside another story's headline."""
    under: dict[int, list[LexborNode]] = {}
    holders: dict[int, LexborNode] = {}
    for anchor in anchors:
        parent = anchor.parent
        for _ in range(3):
            if parent is None:
                break
            under.setdefault(parent.mem_id, []).append(anchor)
            holders[parent.mem_id] = parent
            parent = parent.parent
    grouped: set[int] = set()
    for key, members in under.items():
        if len(members) >= 2 and len(members) >= 0.5 * len(holders[key].css("a[href]")):
            grouped.update(a.mem_id for a in members)
    return grouped


def _labelled(anchor: LexborNode) -> bool:
    """rel="tag", or a label just before the link ("Topic:", "Filed under")."""
    if "tag" in (anchor.attributes.get("rel") or "").lower().split():
        return True
    before = anchor.prev
    while before is not None and not before.text(deep=True).strip():
        before = before.prev
    label = before.text(deep=True) if before is not None else ""
    return bool(_LABEL.search(label.strip()))


def _visible_text(anchor: LexborNode) -> str:
    """The link's text without what only screen readers get ("Gas<span hidden>category")."""
    for hidden in anchor.css('[style*="clip"], [class*="sr-only"], [class*="visually-hidden"], '
                             '[class*="screen-reader"], [hidden]'):  # fmt: skip
        hidden.decompose()
    return " ".join(anchor.text(deep=True).split())


def _is_tag_link(anchor: LexborNode, host: str) -> bool:
    href = anchor.attributes.get("href") or ""
    rel = (anchor.attributes.get("rel") or "").lower().split()
    if "tag" not in rel and not _TAG_PATH.search(href):
        return False
    elsewhere = _host(href) if "//" in href else ""
    return not (host and elsewhere and elsewhere != host)


def _host(url: str | None) -> str:
    return re.sub(r"^www\.", "", (urlsplit(url or "").hostname or "").lower())


def _within(node: LexborNode, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


def _keywords(ld: dict[str, Any], meta: dict[str, str]) -> tuple[str, ...]:
    found: list[str] = []
    keywords = ld.get("keywords")
    if isinstance(keywords, list):
        found.extend(str(k) for k in keywords)
    elif isinstance(keywords, str):
        found.extend(re.split(r"[,،]", keywords))
    if not found:
        found.extend(re.split(r"[,،]", meta.get("news_keywords") or meta.get("keywords") or ""))
    seen: dict[str, None] = {}
    for tag in found:
        cleaned = " ".join(tag.split())
        if cleaned and len(cleaned) <= 60 and not _MACHINE.match(cleaned):
            seen.setdefault(cleaned, None)
    return tuple(seen)[:MAX_TAGS]
