"""Who wrote the article: JSON-LD, <meta>, microdata, then the page's visible byline.

A value that cannot be a byline is passed over, whatever field holds it (a
decoy): an address, a handle, the CMS's "admin", a sentence. Visible bylines
are read from the elements pages use for them ([itemprop=author], rel=author,
author-page links, byline and author classes), with "By", "بقلم" and the
date beside the name taken off. Pure.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

_META_KEYS = ("author", "article:author", "parsely-author", "dc.creator", "dcterms.creator",
              "sailthru.author", "byl", "dc:creator")  # fmt: skip
_VISIBLE = (
    '[itemprop="author"] [itemprop="name"], [itemprop="author"], [rel="author"], '
    'a[href*="/author/"], a[href*="/authors/"], a[href*="/people/"], a[href*="/journalist/"], '
    '[class*="byline"] a, [class*="author-name"], [class*="author__name"], '
    '[class*="byline"], [class*="author"]'
)
_BY = re.compile(
    r"^\s*(written\s+by|words\s+by|by|von|par|por|di|door|authors?|autor|reporter|بقلم|كتب|كتبت|"
    r"إعداد|اعداد|الكاتب)\s*[:：]?\s+",
    re.I,
)
_NOT_NAMES = re.compile(
    r"^(admin|administrator|staff|editor|editors|webmaster|unknown|null|none|anonymous|guest|"
    r"author|authors|share|follow|contact|more|subscribe|about the author)$",
    re.I,
)
_INITIALS = re.compile(r"\s*\([^()]{1,6}\)$")  # an editor's initials: "Julia Hitz (eg)"
_TAIL = re.compile(
    r"\s*([|•·—–]|\d{1,2}\s+\w{3,9}\.?\s+\d{4}|\w{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d\d-\d\d"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}|updated|published|posted).*$",
    re.I,
)


def find_author(ld: dict[str, Any], meta: dict[str, str], tree: LexborHTMLParser) -> str | None:
    if name := _plausible(ld_name(ld.get("author"))):
        return name
    for key in _META_KEYS:
        if name := _plausible(meta.get(key)):
            return name
    for node in tree.css(_VISIBLE)[:30]:
        if name := _plausible(_visible_name(node)):
            return name
    return None


def ld_name(value: Any) -> str | None:
    """The name(s) in a JSON-LD author or publisher: a string, a Person or Organization
    (whose name may itself be a list), or a list of those."""
    if isinstance(value, list):
        names = [n for v in value if (n := ld_name(v))]
        return ", ".join(dict.fromkeys(names)) if names else None
    if isinstance(value, dict):
        return ld_name(value.get("name"))
    if isinstance(value, str) and value.strip():
        return _clean(value)
    return None


def _visible_name(node: LexborNode) -> str | None:
    content = node.attributes.get("content")
    text = content if content else node.text(deep=True, separator=" ")
    return _TAIL.sub("", _BY.sub("", _clean(text or "")))


def _plausible(value: str | None) -> str | None:
    """The value when it reads as a person's or a desk's name: 1 to 8 words, 2 to 80
    characters, letters, no address, handle or sentence."""
    if not value:
        return None
    name = _INITIALS.sub("", _clean(_BY.sub("", value))).strip(" ,;|-–—")
    if not 2 <= len(name) <= 80 or not 1 <= len(name.split()) <= 8:
        return None
    if re.search(r"https?:|www\.|@|\.(com|org|net)\b|[^\W\d_]{4,}[.!?؟]\s+\S|\d{3,}", name, re.I):
        return None
    if _NOT_NAMES.match(name) or not re.search(r"[^\W\d_]{2,}", name):
        return None
    return name


def _clean(text: str) -> str:
    return " ".join(text.split())
