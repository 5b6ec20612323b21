"""An article page -> Extracted: title, lead, body paragraphs, dates, and the rest.

How the body is found: page furniture (scripts, navigation, asides, forms) is
dropped; every paragraph-like block scores its parent and grandparent by its
length and commas; the best-scoring container, with its siblings of similar
weight, is the article. Inside it, share bars, "read more" / "اقرأ أيضا"
boxes, credits and link lists are removed, and what remains is read block by
block, in order. Pure: HTML text in, data out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.ingest.body import find_body, link_density
from bot.ingest.metadata import Metadata, read_metadata
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
_INLINE = ["a", "b", "strong", "i", "em", "u", "span", "font", "small", "big", "sup", "sub",
           "abbr", "time", "mark", "cite", "q", "code", "s", "del", "ins", "bdi", "bdo",
           "label", "var", "kbd", "tt", "strike", "nobr", "wbr"]  # fmt: skip
_INLINE_SET = frozenset(_INLINE)
_BLOCK_SET = frozenset(
    (
        "p",
        "div",
        "ul",
        "ol",
        "table",
        "section",
        "article",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "li",
        "dl",
        "form",
    )
)
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
       '[style*="display:none"]', '[style*="display: none"]', '[role="complementary"]']
)  # fmt: skip
# Reader comments are never the article (and can outweigh a short one).
_COMMENTS_CSS = (
    "#comments, #respond, #disqus_thread, .comments-area, .comment-list, .commentlist, "
    '[class~="comments"], [class~="comment"], [itemprop="comment"], [id^="comment-"]'
)
_BOILERPLATE = re.compile(
    r"^(اقرأ\s+(أيضا|أيضاً|ايضا|المزيد)|إقرأ\s+أيضا|شاهد\s+أيضا|طالع\s+أيضا|ذات صلة|"
    r"read\s+(more|also|next)|related\s*:|see\s+also|advertisement|إعلان|share\s+this|"
    r"follow\s+us|تابعونا|sign\s+up|subscribe|click\s+here|all\s+rights\s+reserved|"
    r"you\s+may\s+also\s+like|disclaimer$|registration\s+on\s+or\s+use\s+of\s+this\s+site|"
    r"the\s+material\s+on\s+this\s+site\s+may\s+not|community\s+rules\s+apply|"
    r"جميع\s+الحقوق|copyright|©)",
    re.I,
)
# Said anywhere in a short block: a comment policy or a site notice, not the story.
_NOTICE = re.compile(
    r"(الآراء\s+الواردة.{0,40}لا\s+تعبر|ترحب\s+.{0,30}بالنقاش|إرشادات\s+الاستخدام|"
    r"لا\s+مانع\s+من\s+الاقتباس|views\s+expressed.{0,60}(do\s+not|don't)\s+(necessarily\s+)?"
    r"reflect|comments\s+are\s+moderated|جميع\s+الحقوق\s+محفوظة)",
    re.I,
)
# Lines that stand before the story: a byline, a dateline alone, a date label.
_LEADING = re.compile(
    r"^(\(?[^()\n]{2,40}\)$|(حوار|كتب|كتبت|بقلم|إعداد|اعداد|تقرير|متابعة|ترجمة|by|words\s+by|"
    r"photos?\s+by)\s*[:：]?\s+\S.{0,50}$|(التاريخ|تاريخ\s+النشر|نشر\s+في|آخر\s+تحديث|"
    r"published|updated|posted|last\s+updated)\s*[:：]?.{0,60}$)",
    re.I,
)
# A last line that only credits an agency: "(بترا)", "--(AFP)", "Reuters".
_TRAILING = re.compile(r"^[-–—\s]*\(?\s*[\w.\s]{2,20}\s*\)?\s*$")
_CREDIT = re.compile(
    r"^((image|photo|picture|video)\s*(copyright|credit|source)?\s*[:©]|getty images|"
    r"reuters$|afp$|ap photo|صورة\s*:|المصدر\s*:|الصورة\s*:|تصوير\s*:)",
    re.I,
)


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
    lead_node = tree.css_first(
        '[class*="standfirst"], [class*="article-lead"], [class*="lead-text"], '
        '[class*="summary"], [class*="intro"], [class*="dek"], [class*="subtitle"], '
        '[class*="excerpt"], [itemprop="description"]'
    )
    lead = _clean(lead_node.text(deep=True)) if lead_node is not None else ""
    tree.strip_tags(_DROP)
    for comments in tree.css(_COMMENTS_CSS):
        comments.decompose()
    containers = _chosen(tree, body_selector)
    paragraphs = _paragraphs(containers, meta.title)
    paragraphs = _prefer_ld_body(paragraphs, meta)
    if not 20 <= len(lead) <= 600:
        lead = ""
    if lead and lead in paragraphs[:3]:
        paragraphs.remove(lead)
    page_url = meta.canonical or url
    return Extracted(
        url=canonical_url(page_url) if page_url else None,
        title=meta.title,
        lead=lead or None,
        paragraphs=tuple(paragraphs),
        published=meta.published,
        updated=meta.updated,
        author=meta.author,
        image=meta.image,
        language=_language(meta.language, paragraphs, meta.title),
        tags=meta.tags,
        related=related,
    )


def _chosen(tree: LexborHTMLParser, selector: str | None) -> list[LexborNode]:
    if selector:
        chosen = tree.css(selector)
        if chosen:
            return chosen
    return find_body(tree)


def _paragraphs(containers: list[LexborNode], title: str) -> list[str]:
    blocks: list[str] = []
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
        container.unwrap_tags(_INLINE)
        container.merge_text_nodes()
        broken = {br.parent.mem_id for br in container.css("br") if br.parent is not None}
        for node in container.traverse():
            if node.tag in ("img", "picture", "figure", "br", "hr"):
                continue
            for text in _own_lines(node, node.mem_id in broken):
                if not _BOILERPLATE.match(text) and not _CREDIT.match(text):
                    blocks.append(text)
    if blocks and title and _clean(blocks[0]) == _clean(title):
        blocks = blocks[1:]
    return _trim_edges([b for b in blocks if not (len(b) < 300 and _NOTICE.search(b))])


def _trim_edges(blocks: list[str]) -> list[str]:
    """Drops bylines, datelines and date labels before the story, and a bare agency
    credit after it; never the only text there is."""
    start = 0
    while start < min(3, len(blocks) - 1) and (
        _LEADING.match(blocks[start]) or not re.search(r"\w", blocks[start])
    ):
        start += 1
    end = len(blocks)
    if end - start > 1 and len(blocks[end - 1]) <= 25 and _TRAILING.match(blocks[end - 1]):
        end -= 1
    return blocks[start:end]


def _linked_characters(container: LexborNode) -> dict[int, int]:
    """Characters of link text under each node of `container`, by mem_id: one walk up
    from each link, instead of a search for links under every block."""
    linked: dict[int, int] = {}
    top = container.mem_id
    for anchor in container.css("a"):
        length = len(anchor.text(deep=True).strip())
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


def _own_lines(node: LexborNode, has_br: bool) -> list[str]:
    """The node's own text (its children blocks are read on their own), split at the
    <br> among its children."""
    if not has_br:
        text = _clean(node.text(deep=False, separator=" "))
        return [text] if text else []
    lines: list[str] = []
    current: list[str] = []
    for child in node.iter(include_text=True):
        if child.tag == "br":
            lines.append(_clean(" ".join(current)))
            current = []
        elif child.is_text_node:
            current.append(child.text(deep=False))
    lines.append(_clean(" ".join(current)))
    return [line for line in lines if line]


def _prefer_ld_body(paragraphs: list[str], meta: Metadata) -> list[str]:
    """JSON-LD articleBody, when the page's text yields much less than it."""
    body = meta.article_body
    if not body:
        return paragraphs
    found = sum(len(p) for p in paragraphs)
    if found < 0.5 * len(body):
        return [p for p in (_clean(line) for line in re.split(r"\n\s*\n|\n", body)) if p]
    return paragraphs


def _language(declared: str | None, paragraphs: list[str], title: str) -> str | None:
    sample = " ".join([title, *paragraphs[:5]])[:3000]
    arabic, latin = script_letters(sample)
    if arabic > latin:
        return "ar"
    if declared:
        return declared
    return "en" if latin else None


def _clean(text: str) -> str:
    return " ".join(text.replace("\ufeff", " ").replace("\u200b", " ").split())
