"""An article page -> Extracted: title, lead, body paragraphs, dates, and the rest.

Page furniture (scripts, navigation, asides, reader comments) is dropped;
body.py finds the blocks that hold the article, paragraphs.py reads them, and
metadata.py reads what the page says about itself. Pure: HTML text in, data out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.ingest.body import find_body, visible_length
from bot.ingest.decode import printable, printable_or_none
from bot.ingest.furniture import trim
from bot.ingest.galleries import drop_galleries
from bot.ingest.metadata import Metadata, read_metadata
from bot.ingest.paragraphs import clean, read_paragraphs
from bot.ingest.related import Related, find_related
from bot.ingest.urls import canonical_url
from bot.language import script_letters

# Not "form": some sites (ASP.NET) wrap the whole page in one.
_DROP = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "footer",
    "aside",
    "figcaption",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "dialog",
    "menu",
    "header",
    "link",
    "meta",
]
# Reader comments are never the article (and can outweigh a short one).
_COMMENTS_CSS = (
    "#comments, #respond, #disqus_thread, .comments-area, .comment-list, .commentlist, "
    '[class~="comments"], [class~="comment"], [itemprop="comment"], [id^="comment-"]'
)

# The lead: a standfirst (dek, summary) stands above the story and is not its text; a
# lede ("article-lead", the microdata description) is the story's first paragraph.
_STANDFIRST_CSS = (
    '[class*="standfirst"], [class*="summary"], [class*="intro"], [class*="dek"], '
    '[class*="subtitle"], [class*="excerpt"]'
)
_LEDE_CSS = '[class*="article-lead"], [class*="lead-text"], [itemprop="description"]'

_HIDDEN_CSS = (
    '[hidden], [style*="display:none"], [style*="display: none"], '
    '[style*="visibility:hidden"], [style*="visibility: hidden"]'
)

# Characters of paragraphs a page shows outside its hidden blocks, below which the
# hidden text is the story (revealed by a script), not a layout never shown.
_SHOWN_STORY = 200


@dataclass(frozen=True)
class Extracted:
    url: str | None
    title: str
    lead: str | None
    paragraphs: tuple[str, ...]
    published: dt.datetime | None  # in the publisher's own offset
    updated: dt.datetime | None
    author: str | None
    image: str | None
    language: str | None
    tags: tuple[str, ...] = ()
    related: tuple[Related, ...] = field(default=())

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def extract_article(
    html: str, url: str | None = None, *, body_selector: str | None = None,
    zone: dt.tzinfo = dt.UTC,
) -> Extracted:  # fmt: skip
    """`zone`: where the page's times without an offset are meant (its source's zone)."""
    tree = LexborHTMLParser(html)
    meta = read_metadata(tree, url, zone=zone)
    base = url or meta.canonical or ""
    related = find_related(tree, base, meta.canonical or url)
    standfirst = tree.css_first(_STANDFIRST_CSS)
    lead_node = standfirst or tree.css_first(_LEDE_CSS)
    lead = clean(lead_node.text(deep=True)) if lead_node is not None else ""
    tree.strip_tags(_DROP)
    for comments in tree.css(_COMMENTS_CSS):
        comments.decompose()
    _drop_hidden(tree)
    drop_galleries(tree)
    containers = _chosen(tree, body_selector)
    names = (*_names(meta.author), meta.site_name or "")
    read = read_paragraphs(containers)
    paragraphs = trim(read.lines, title=meta.title, names=names, asides=read.asides)
    paragraphs = _prefer_ld_body(paragraphs, meta)
    if not 20 <= len(lead) <= 600:
        lead = ""
    if lead and standfirst is not None and lead in paragraphs[:3]:
        paragraphs.remove(lead)  # a standfirst above the story; a lede is its first paragraph
    page_url = meta.canonical or url
    # The page's text is printable as lexbor reads it; its JSON-LD may still escape a
    # NUL or half an emoji (decode.printable).
    return Extracted(
        url=canonical_url(printable(page_url)) if page_url else None,
        title=printable(meta.title),
        lead=printable_or_none(lead),
        paragraphs=tuple(p for p in map(printable, paragraphs) if p),
        published=meta.published,
        updated=meta.updated,
        author=printable_or_none(meta.author),
        image=printable_or_none(meta.image),
        language=_language(meta.language, paragraphs, meta.title),
        tags=tuple(t for t in map(printable, meta.tags) if t),
        related=related,
    )


def _chosen(tree: LexborHTMLParser, selector: str | None) -> list[LexborNode]:
    if selector:
        chosen = tree.css(selector)
        if chosen:
            return chosen
    return find_body(tree)


def _drop_hidden(tree: LexborHTMLParser) -> None:
    """Text no reader sees (hidden, display: none, visibility: hidden) is not the article;
    unless the page shows no paragraphs without it, as where a script reveals the story."""
    hidden = tree.css(_HIDDEN_CSS)
    if not hidden:
        return
    unseen = {node.mem_id for block in hidden for node in block.traverse()}
    shown = sum(visible_length(p) for p in tree.css("p") if p.mem_id not in unseen)
    if shown >= _SHOWN_STORY:
        for node in hidden:
            node.decompose()


def _names(author: str | None) -> list[str]:
    """The byline's names: "A, B and C" -> [the whole, A, B, C]."""
    if not author:
        return []
    return [author, *(n for n in re.split(r",|&|\band\b|\sو\s", author) if n.strip())]


def _prefer_ld_body(paragraphs: list[str], meta: Metadata) -> list[str]:
    """JSON-LD articleBody, when the page's text yields much less than it."""
    body = meta.article_body
    if not body:
        return paragraphs
    found = sum(len(p) for p in paragraphs)
    if found < 0.5 * len(body):
        return [p for p in (clean(line) for line in re.split(r"\n\s*\n|\n", body)) if p]
    return paragraphs


def _language(declared: str | None, paragraphs: list[str], title: str) -> str | None:
    sample = " ".join([title, *paragraphs[:5]])[:3000]
    arabic, latin = script_letters(sample)
    if arabic > latin:
        return "ar"
    if declared:
        return declared
    return "en" if latin else None
