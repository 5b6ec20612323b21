"""Slideshows embedded in a page: removed before the article is looked for.

A gallery of 30 pictures of other news, each with its caption, outweighs a
short article; a carousel at the top of a story opens its body with "1 of 12".
Pure: works on a parsed page in place.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SLIDES = re.compile(r"gallery|slide|carousel|swiper|slideshow|lightbox|photostrip", re.I)
_COUNTER = re.compile(r"(?<!\d)\d{1,3}\s*(/|of|من)\s*\d{1,3}(?!\d)")


def drop_galleries(tree: LexborHTMLParser) -> None:
    """Removes slideshows: five or more sibling items of one kind, each a picture with a
    short caption and no heading, making up most of their parent's text, when the page
    has paragraphs of its own besides, and when the items say they are slides (their
    class or their parent's, a "3 of 12" counter) or are cards linking elsewhere. A
    gallery of other news must not outweigh a short article; a listicle (headings,
    longer text) or how-to steps with a picture each are not a gallery."""
    items: dict[tuple[int, str, str], dict[int, LexborNode]] = {}
    for picture in tree.css("img, picture"):
        node = picture.parent
        for _ in range(4):
            if node is None or node.parent is None or node.tag in ("body", "html"):
                break
            key = (node.parent.mem_id, node.tag or "", node.attributes.get("class") or "")
            items.setdefault(key, {})[node.mem_id] = node
            node = node.parent
    galleries = []
    for group in items.values():
        if len(group) < 5:
            continue
        slides = list(group.values())
        lengths = [_letters(slide) for slide in slides]
        parent = slides[0].parent
        if (parent is None or max(lengths) > 400
                or any(slide.css_first("h2, h3, h4") is not None for slide in slides)
                or sum(lengths) < 0.6 * _letters(parent)
                or not _says_slideshow(slides, parent)):  # fmt: skip
            continue
        galleries.append(parent)
    if not galleries:
        return
    inside = {node.mem_id for gallery in galleries for node in gallery.traverse()}
    own = sum(len(p.text(deep=True)) for p in tree.css("p") if p.mem_id not in inside)
    if own >= 200:
        for gallery in galleries:
            gallery.decompose()


def _says_slideshow(slides: list[LexborNode], parent: LexborNode) -> bool:
    """Slides by their class or their parent's, by a counter, or cards linking elsewhere."""
    marked = [slides[0], parent, *([parent.parent] if parent.parent is not None else [])]
    for node in marked:
        if any(_SLIDES.search(f"{key} {value or ''}") for key, value in node.attributes.items()):
            return True
    counted = sum(bool(_COUNTER.search(slide.text(deep=True))) for slide in slides)
    # cards: each a picture and a line linking to another page ("most popular")
    linked = sum(slide.css_first("a[href]") is not None for slide in slides)
    return counted >= len(slides) / 2 or linked >= 0.8 * len(slides)


def _letters(node: LexborNode) -> int:
    """Characters of text, whitespace left out (markup indents between blocks)."""
    return sum(len(word) for word in node.text(deep=True).split())
