"""The page's own related headlines: its "related" / "اقرأ أيضا" boxes -> (title, URL).

Boxes are found by their class or id, and by their label: a short heading such
as "اقرأ أيضا", "ذات صلة", "انظر أيضا", "Related", from which we climb to the
nearest block that holds the links. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

_BOX_CSS = (
    '[class*="related"], [id*="related"], [class*="read-also"], [class*="readmore"], '
    '[class*="read-more"], [class*="more-news"], [class*="also"]'
)
# Headings are read whole; inline and paragraph labels by their own text only.
_HEADING_CSS = "h2, h3, h4, h5, dt"
_INLINE_LABEL_CSS = "p, strong, b"
_LABEL = re.compile(
    r"(اقرأ\s+(أيضا|أيضاً|ايضا)|إقرأ\s+أيضا|انظر\s+(أيضا|أيضاً|ايضا)|شاهد\s+أيضا|ذات\s+صلة|"
    r"(أخبار|مواضيع|الموضوعات|المواضيع)\s+(متعلقة|المتعلقة)|مواضيع\s+ذات|"
    r"related|read\s+(more|also)|more\s+on\s+this|more\s+from|see\s+also)",
    re.I,
)
MAX_RELATED = 10


@dataclass(frozen=True)
class Related:
    title: str
    url: str


def find_related(tree: LexborHTMLParser, base: str, own: str | None) -> tuple[Related, ...]:
    boxes = list(tree.css(_BOX_CSS))
    labels = [(node, node.text(deep=True)) for node in tree.css(_HEADING_CSS)]
    labels += [(node, node.text(deep=False)) for node in tree.css(_INLINE_LABEL_CSS)]
    for label, raw in labels:
        text = raw.strip()  # "Read more: <a>headline</a>" is read as "Read more:"
        if not text or len(text) > 40 or not _LABEL.search(text):
            continue
        box: LexborNode | None = label
        for _ in range(7):  # the label itself, or the nearest block holding the links
            if box is None or box.tag in ("body", "html"):
                break
            count = len(_headlines(box))
            if count > 30:
                break
            if count >= 1:
                boxes.append(_whole_list(box))
                break
            box = box.parent
    seen: dict[str, Related] = {}
    own_path = urlsplit(own or "").path
    for found in boxes:
        for title, href in _headlines(found):
            absolute = urljoin(base, href)
            if urlsplit(absolute).path in ("", "/", own_path):
                continue
            if absolute not in seen or len(title) > len(seen[absolute].title):
                seen[absolute] = Related(title, absolute)
    return tuple(seen.values())[:MAX_RELATED]


def _whole_list(box: LexborNode) -> LexborNode:
    """A box can be the first item of a list of them (<dl> after <dl>): take the list
    while it stays a short, link-dense block."""
    for _ in range(2):
        parent = box.parent
        if parent is None or parent.tag in ("body", "html", "article", "main"):
            break
        if len(_headlines(parent)) > 12 or _link_share(parent) < 0.6:
            break
        box = parent
    return box


def _link_share(node: LexborNode) -> float:
    total = len("".join(node.text(deep=True).split()))
    linked = sum(len("".join(a.text(deep=True).split())) for a in node.css("a"))
    return linked / total if total else 0.0


def _headlines(box: LexborNode) -> list[tuple[str, str]]:
    """Links in `box` that read like headlines (their text, or their title attribute)."""
    found = []
    for anchor in box.css("a[href]"):
        href = anchor.attributes.get("href") or ""
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        title = " ".join(anchor.text(deep=True).split()) or " ".join(
            (anchor.attributes.get("title") or "").split()
        )
        if len(title) >= 15:
            found.append((title, href))
    return found
