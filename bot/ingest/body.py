"""Where the article is on a page: the block(s) holding its paragraphs.

Every paragraph-like block (a <p>, or a <div> of text without blocks inside)
scores by its length and commas, and passes its score up to five ancestors,
less at each step (as Readability does), so a body split over many sibling
blocks still adds up in the block that holds them all. Candidates are ranked
after discounting their links; three strong candidates apart from the best
under one of its ancestors mean the article is that ancestor; the choice
widens while a parent holds clearly more paragraph text and is mostly made of
it; and the winner's siblings of similar weight, or of its class, join it.
Pure: a parsed page in, nodes out.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

BLOCKS = frozenset(("p", "div", "ul", "ol", "table", "section", "article", "h1", "h2", "h3",
                    "h4", "h5", "h6", "blockquote", "pre", "li", "dl", "form", "main",
                    "figure", "header"))  # fmt: skip
_SCORED = "p, pre, td, blockquote, div, li, dd, section, article"
_TEXT_TAGS = frozenset(("p", "pre", "blockquote"))
_DIVIDERS = (1.0, 2.0, 6.0, 9.0, 12.0)  # an ancestor N levels up gets score / _DIVIDERS[N]
# What a candidate starts with, by its tag (Readability's figures).
_BASE = {"div": 5.0, "pre": 3.0, "td": 3.0, "blockquote": 3.0, "ol": -3.0, "ul": -3.0, "dl": -3.0,
         "dd": -3.0, "dt": -3.0, "li": -3.0, "form": -3.0, "address": -3.0, "th": -5.0}  # fmt: skip
_GOOD = frozenset(("p", "pre", "blockquote", "div"))
_COMMAS = re.compile(r"[,،、，]")


def find_body(tree: LexborHTMLParser) -> list[LexborNode]:
    """The nodes that hold the article, in page order; the <body> when nothing scores."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    good: dict[int, int] = {}  # characters of good paragraphs under each node
    for node in tree.css(_SCORED):
        score, ancestor, length = _paragraph(node)
        if not score:
            continue
        if node.tag == "div":
            length = len(node.text(deep=False).strip())
        if node.tag in _GOOD and length >= 40:
            above: LexborNode | None = node
            while above is not None:
                good[above.mem_id] = good.get(above.mem_id, 0) + length
                above = above.parent
        for divider in _DIVIDERS:
            if ancestor is None or ancestor.tag in ("body", "html"):
                break
            key = ancestor.mem_id
            if key not in nodes:
                nodes[key] = ancestor
                scores[key] = _BASE.get(ancestor.tag or "", 0.0)
            scores[key] += score / divider
            ancestor = ancestor.parent
    if not scores:
        body = tree.body
        return [body] if body is not None else []
    adjusted: dict[int, float] = {}

    def final(key: int) -> float:  # the score once its links are discounted
        if key not in adjusted:
            adjusted[key] = scores[key] * (1 - link_density(nodes[key]))
        return adjusted[key]

    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:15]
    top = sorted(ranked, key=final, reverse=True)[:5]
    best = _common_ancestor(nodes[top[0]], [nodes[k] for k in top[1:]
                                            if final(k) >= 0.75 * final(top[0])])  # fmt: skip
    best = _widened(best, good)
    return _with_siblings(best, final(best.mem_id) if best.mem_id in scores else 0.0, scores)


def _widened(node: LexborNode, good: dict[int, int]) -> LexborNode:
    """The article split over several blocks: climb while the parent holds clearly
    more good paragraph text and is still mostly made of it."""
    while True:
        here = good.get(node.mem_id, 0)
        parent = node.parent
        while parent is not None and good.get(parent.mem_id, 0) == here:
            parent = parent.parent  # wrappers that add nothing
        if parent is None or parent.tag in ("body", "html"):
            return node
        there = good[parent.mem_id]
        if there < 1.25 * here or there < 0.6 * visible_length(parent):
            return node
        node = parent


def visible_length(node: LexborNode) -> int:
    """Characters of text as a reader sees it: the markup's indents between blocks left
    out, each run of spaces one."""
    return len(" ".join(node.text(deep=True).split()))


def _paragraph(node: LexborNode) -> tuple[float, LexborNode | None, int]:
    """A paragraph's score, the first ancestor it goes to and its length: a <p>'s goes
    to its parent; the text standing between a block's children, with their inline
    elements, scores the block itself."""
    inner = any(child.tag in BLOCKS for child in node.iter())
    first = node.parent
    if node.tag in _TEXT_TAGS or (not inner and node.tag in ("div", "td")):
        text = node.text(deep=True)
    else:  # a layout cell, a list item, a block: what stands between its blocks
        text = _own_text(node) if node.tag == "li" else node.text(deep=False)
        first = node
    length = len(text.strip())
    # A table's cell or a block is prose only when it is long: a calendar's cells are not.
    if length < (25 if node.tag in _TEXT_TAGS else 60):
        return 0.0, None, 0
    if node.tag not in _TEXT_TAGS and node.css_first("a") is not None:
        linked = sum(len(a.text(deep=True).strip()) for a in node.css("a"))
        if linked > 0.3 * length:
            return 0.0, None, 0
    return 1 + len(_COMMAS.findall(text)) + min(length / 100, 3.0), first, length


def _own_text(node: LexborNode) -> str:
    parts = []
    for child in node.iter(include_text=True):
        if child.is_text_node:
            parts.append(child.text(deep=False))
        elif child.tag not in BLOCKS:
            parts.append(child.text(deep=True))
    return " ".join(parts)


def _common_ancestor(best: LexborNode, others: list[LexborNode]) -> LexborNode:
    """Three or more strong candidates apart from the best (neither inside it nor
    holding it) under one of its ancestors: the article is split over them, and
    that ancestor holds it."""
    mine = {a.mem_id for a in _ancestors(best)}
    lines = []
    for other in others:
        line = {a.mem_id for a in _ancestors(other)}
        if other.mem_id not in mine and best.mem_id not in line:
            lines.append(line)
    if len(lines) < 3:
        return best
    for ancestor in _ancestors(best):
        if ancestor.tag in ("body", "html"):
            break
        if sum(ancestor.mem_id in line for line in lines) >= 3:
            return ancestor
    return best


def _ancestors(node: LexborNode) -> list[LexborNode]:
    found = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def _with_siblings(
    best: LexborNode, best_score: float, scores: dict[int, float]
) -> list[LexborNode]:
    parent = best.parent
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    best_class = best.attributes.get("class")
    chosen = []
    for sibling in parent.iter(include_text=False):
        if sibling.mem_id == best.mem_id:
            chosen.append(sibling)
            continue
        score = scores.get(sibling.mem_id, 0.0)
        if best_class and sibling.attributes.get("class") == best_class:
            score += best_score * 0.2
        if score >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = sibling.text(deep=True)
            if len(text) > 80 and link_density(sibling) < 0.25:
                chosen.append(sibling)
    return chosen


def link_density(node: LexborNode, linked: int | None = None) -> float:
    """The share of the node's text inside links; `linked`, its link characters when
    already counted."""
    total = visible_length(node)
    if not total:
        return 0.0
    if linked is None:
        linked = sum(visible_length(a) for a in node.css("a"))
    return min(1.0, linked / total)
