"""The article's blocks -> its paragraphs, furniture left out.

Inside the chosen blocks, share bars, "read more" / "اقرأ أيضا" boxes,
credits, notices and link lists are removed; what remains is read block by
block, in order, each <br> a line break; and the lines that stand before or
after the story are left to furniture.py. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from bot.ingest.body import link_density, visible_length

_INLINE = ["a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub",
           "abbr", "time", "mark", "cite", "q", "code", "s", "del", "ins", "bdi", "bdo",
           "label", "var", "kbd", "tt", "strike", "nobr", "wbr"]  # fmt: skip
_INLINE_SET = frozenset(_INLINE)
_JUNK_WORDS = (
    "share",
    "social",
    "related",
    "comment",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "breadcrumb",
    "cookie",
    "sidebar",
    "outbrain",
    "taboola",
    "recommend",
    "popular",
    "trending",
    "read-more",
    "readmore",
    "read-also",
    "more-news",
    "author-bio",
    "tags",
    "keywords",
    "caption",
    "credit",
    "byline",
    "signup",
    "sponsor",
    "print",
    "toolbar",
    "rating",
    "disqus",
    "widget",
    "gallery-count",
)
_JUNK_CSS = ", ".join(
    [f'[class*="{w}"], [id*="{w}"]' for w in _JUNK_WORDS]
    + ['[class~="ad"]', '[class~="ads"]', '[class*="ad-slot"]', '[class*="adslot"]',
       '[id^="ad-"]', '[class^="ad-"]', '[hidden]', '[aria-hidden="true"]',
       '[style*="display:none"]', '[style*="display: none"]', '[role="complementary"]',
       # text for screen readers only (", opens new tab")
       '[style*="clip:rect(0"]', '[style*="clip: rect(0"]', '[class*="sr-only"]',
       '[class~="visually-hidden"]', '[class*="screen-reader-text"]']
    # microdata written out for machines: the publisher, its logo, the page's URL, dates
    + [f'[itemprop="{w}"]' for w in ("publisher", "logo", "image", "url", "mainEntityOfPage",
                                     "datePublished", "dateModified", "dateCreated")]
)  # fmt: skip
_BOILERPLATE = re.compile(
    r"^(اقرأ\s+(أيضا|أيضاً|ايضا|المزيد)|إقرأ\s+أيضا|شاهد\s+أيضا|طالع\s+أيضا|ذات صلة|"
    r"read\s+(more|also|next)|related\s*:|see\s+also|advertisement|إعلان|share\s+this|"
    r"follow\s+us|تابعونا|تابعنا\s+(على|عبر)|sign\s+up|subscribe|click\s+here|all\s+rights\s+reserved|"
    r"you\s+may\s+also\s+like|disclaimer$|registration\s+on\s+or\s+use\s+of\s+this\s+site|"
    r"the\s+material\s+on\s+this\s+site\s+may\s+not|community\s+rules\s+apply|"
    r"جميع\s+الحقوق|copyright|©)",
    re.I,
)
# A line that is only an address, or a newsletter's pitch.
_ADDRESS = re.compile(r"^https?://\S+\.(jpe?g|png|gif|webp|svg)(\?\S*)?$", re.I)
_PITCH = re.compile(r"newsletter.{0,40}(promotion|sign|subscribe|inbox)|(sign\s+up|subscribe)"
                    r".{0,40}newsletter|النشرة\s+البريدية", re.I)  # fmt: skip
# Said anywhere in a short block: a comment policy or a site notice, not the story.
_NOTICE = re.compile(
    r"(الآراء\s+الواردة.{0,40}لا\s+تعبر|ترحب\s+.{0,30}بالنقاش|إرشادات\s+الاستخدام|"
    r"لا\s+مانع\s+من\s+الاقتباس|views\s+expressed.{0,60}(do\s+not|don't)\s+(necessarily\s+)?"
    r"reflect|comments\s+are\s+moderated|جميع\s+الحقوق\s+محفوظة)",
    re.I,
)
_CREDIT = re.compile(
    r"^((image|photo|picture|video)\s*(copyright|credit|source)?\s*[:©]|getty images|"
    r"reuters$|afp$|ap photo|صورة\s*:|المصدر\s*:|الصورة\s*:|تصوير\s*:)",
    re.I,
)


@dataclass(frozen=True)
class Blocks:
    lines: list[str]
    asides: frozenset[str]  # paragraphs set all in italics: notes, pitches, credits


def read_paragraphs(containers: list[LexborNode]) -> Blocks:
    """The text of `containers`, block by block, without the furniture inside them."""
    blocks: list[str] = []
    asides: set[str] = set()
    for container in containers:
        if container.tag in _INLINE_SET and container.parent is not None:
            container = container.parent
        whole = len(container.text(deep=True))
        for junk in container.css(_JUNK_CSS):
            # The container itself matches its own selector; and a "junk" word in a
            # wrapper's class (has-sidebar, widget-container) must not take the article.
            if junk.mem_id != container.mem_id and len(junk.text(deep=True)) < 0.5 * whole:
                junk.decompose()
        linked = _linked_characters(container)
        for node in container.css("ul, ol, div, section, table, p, dl"):
            link_text = linked.get(node.mem_id, 0)
            if (link_text and node.mem_id != container.mem_id
                    and link_density(node, link_text) > 0.5):  # fmt: skip
                node.decompose()
        asides.update(clean(p.text(deep=True)) for p in container.css("p") if _italic(p))
        container.unwrap_tags(_INLINE)
        container.merge_text_nodes()
        lines: list[str] = []
        _read(container, lines)
        blocks += [t for t in lines if not _BOILERPLATE.match(t) and not _CREDIT.match(t)]
    kept = [
        b
        for b in blocks
        if not (len(b) < 300 and _NOTICE.search(b))
        and not _ADDRESS.match(b)
        and not (len(b) < 100 and _PITCH.search(b))
    ]
    return Blocks(kept, frozenset(asides))


def _italic(paragraph: LexborNode) -> bool:
    """Four fifths or more of the paragraph's text in <em> or <i>."""
    total = len(paragraph.text(deep=True).strip())
    if not total:
        return False
    slanted = sum(len(node.text(deep=True).strip()) for node in paragraph.css("em, i"))
    return slanted >= 0.8 * total


def _linked_characters(container: LexborNode) -> dict[int, int]:
    """Characters of link text under each node of `container`, by mem_id: one walk up
    from each link, instead of a search for links under every block."""
    linked: dict[int, int] = {}
    top = container.mem_id
    for anchor in container.css("a"):
        length = visible_length(anchor)
        if not length:
            continue
        node = anchor.parent
        while node is not None:
            key = node.mem_id
            linked[key] = linked.get(key, 0) + length
            if key == top:
                break
            node = node.parent
    return linked


def _read(node: LexborNode, lines: list[str]) -> None:
    """The text under `node`, in page order, a line for each run of text between
    elements (inline ones are unwrapped by now) or <br>s."""
    current: list[str] = []
    for child in node.iter(include_text=True):
        if child.is_text_node:
            current.append(child.text(deep=False))
            continue
        _flush(current, lines)
        if child.tag != "br":
            _read(child, lines)
    _flush(current, lines)


def _flush(current: list[str], lines: list[str]) -> None:
    if current and (line := clean(" ".join(current))):
        lines.append(line)
    current.clear()


def clean(text: str) -> str:
    return " ".join(text.replace("\ufeff", " ").replace("\u200b", " ").split())
