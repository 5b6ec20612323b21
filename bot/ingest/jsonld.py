"""A page's JSON-LD -> the article it describes, with its references resolved.

Blocks may be wrapped in <![CDATA[ ]]> or <!-- -->, hold lists or an @graph,
and name the article's author or publisher only by an {"@id": ...} that
another node of the graph describes. The article is the best-typed item (a
NewsArticle before an Article before a WebPage); what it leaves out (an
author, a date) is taken from the page's other article items. Pure.
"""

from __future__ import annotations

import json
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

# Lower is a better description of the article itself.
_RANKS = {
    **dict.fromkeys(("newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                     "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                     "liveblogposting"), 0),
    **dict.fromkeys(("article", "blogposting", "report", "scholarlyarticle", "techarticle",
                     "socialmediaposting", "posting"), 1),
    **dict.fromkeys(("webpage", "itempage", "aboutpage"), 2),
}  # fmt: skip
_FILLED = ("headline", "author", "datePublished", "dateModified", "keywords", "image",
           "publisher", "articleBody")  # fmt: skip
_WRAPPER = re.compile(r"^\s*(//\s*)?(<!\[CDATA\[|<!--)|(//\s*)?(\]\]>|-->)\s*$")


def read_article(tree: LexborHTMLParser) -> dict[str, Any]:
    """The article's JSON-LD item, {} when the page has none."""
    items: list[dict[str, Any]] = []
    for node in tree.css('script[type="application/ld+json"]'):
        text = _WRAPPER.sub("", _WRAPPER.sub("", node.text(deep=True) or ""))
        try:
            data = json.loads(text or "null", strict=False)
        except ValueError:
            continue
        items.extend(_walk(data))
    index = {str(item["@id"]): item for item in items if item.get("@id")}
    ranked = sorted(
        (item for item in items if _rank(item) is not None and _describes(item)),
        key=lambda item: _rank(item) or 0,
    )
    if not ranked:
        return {}
    article = dict(ranked[0])
    for other in ranked[1:]:
        for key in _FILLED:
            if not article.get(key) and other.get(key):
                article[key] = other[key]
    return {key: resolve(value, index) for key, value in article.items()}


def resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """{"@id": x} -> the node of the graph with that @id, in lists too."""
    if isinstance(value, list):
        return [resolve(v, index) for v in value]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        return index.get(str(value["@id"]), value)
    return value


def _walk(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [item for entry in data for item in _walk(entry)]
    if isinstance(data, dict):
        nested = [data.get("@graph", []), data.get("mainEntity", [])]
        return [data, *(item for part in nested for item in _walk(part))]
    return []


def _rank(item: dict[str, Any]) -> int | None:
    kinds = item.get("@type")
    names = kinds if isinstance(kinds, list) else [kinds]
    ranks = [_RANKS[str(n).lower()] for n in names if str(n).lower() in _RANKS]
    return min(ranks) if ranks else None


def _describes(item: dict[str, Any]) -> bool:
    return bool(item.get("headline") or item.get("datePublished") or item.get("articleBody"))
