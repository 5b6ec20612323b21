"""The article's own title: the first title the page states (JSON-LD headline, og:title,
twitter:title) that names the same article as its visible headline, worded as the
publisher states it; else that headline, when the stated titles agree with it; else
the stated title without the site's name.

A page's first <h1> can be its section's or its site's ("Health Center",
"Wikipedia"); so a heading is taken only when it shares most of its words with
a title the page states (JSON-LD headline, og:title, twitter:title, <title>),
and a short one only when it is a whole part of one ("Mozilla" in "Mozilla -
Wikipedia"). Pure.
"""

from __future__ import annotations

import re
from html import unescape

from selectolax.lexbor import LexborHTMLParser

# " | ", " - ", " : "...; and "_" between words of scripts written without spaces
# ("..._科技_腾讯网"), where it stands for one.
_SEPARATORS = re.compile(
    r"\s+[|\-–—:•·»«]\s+|\s+::\s+|\s*\|\s*|(?<=[\u3040-\u9fff\uff00-\uffef])_|_(?=[\u3040-\u9fff])"
)
_WORD = re.compile(r"\w+")


def choose_title(tree: LexborHTMLParser, stated: list[str], site_name: str | None) -> str:
    """`stated`: the titles the page's metadata gives, best first (headline, og:title...)."""
    node = tree.css_first("title")
    page = _clean(node.text(deep=True)) if node is not None else ""
    # JSON-LD strings can carry the page's HTML entities ("&quot;"), unread
    stated = [t for t in (_page_title(_clean(unescape(s)), site_name, tree) for s in stated) if t]
    headings = [_clean(h.text(deep=True)) for h in tree.css("article h1, main h1, h1")[:4]]
    references = [*stated, page] if page else stated
    for heading in headings:
        if heading and _agrees(heading, references):
            # the publisher's own wording of the article the headline names
            for title in stated:
                if _agrees(heading, [title]) and _agrees(title, [heading]):
                    return title
            document = _page_title(page, site_name, tree) if page else ""
            # the document's own title, when it names the same article as the headline
            if document and _agrees(heading, [document]) and _agrees(document, [heading]):
                return document
            return heading
    if stated:
        return stated[0]
    if page:
        return _page_title(page, site_name, tree)
    return next((h for h in headings if h), "")


def _agrees(heading: str, references: list[str]) -> bool:
    if not references:
        return len(heading) >= 8
    mine = _words(heading)
    for reference in references:
        theirs = _words(reference)
        if len(heading) >= 8 and len(mine & theirs) >= 0.5 * len(mine):
            return True
        if any(_words(part) == mine for part in _SEPARATORS.split(reference)):
            return True
    return False


def _same_words(heading: str, title: str) -> bool:
    """Nearly the same words: 85% of those of both shared ("Dropbox ATF:" and "Dropbox's
    ATF -")."""
    mine, theirs = _words(heading), _words(title)
    common = len(mine & theirs)
    return bool(common) and common >= 0.85 * len(mine) and common >= 0.85 * len(theirs)


def _page_title(page: str, site_name: str | None, tree: LexborHTMLParser) -> str:
    """A stated title without the site's part: the part that is also a heading of the
    page, else the longest."""
    title = _strip_site(page, site_name)
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    shown = [h.text(deep=True) for h in tree.css("h1, h2")[:20]]
    if any(_same_words(heading, title) for heading in shown):
        return title  # " - " inside the headline, not before the site's name
    headings = {frozenset(_words(h)) for h in shown}
    for part in parts:
        if frozenset(_words(part)) in headings:
            return _clean(part)
    return _clean(max(parts, key=len))


def _strip_site(title: str, site_name: str | None) -> str:
    if site_name and site_name in title and title.strip() != site_name.strip():
        stripped = _SEPARATORS.sub(" | ", title.replace(site_name, "")).strip(" |-–—:")
        if len(stripped) >= 8:
            return _clean(stripped)
    return title


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _clean(text: str) -> str:
    return " ".join(text.split())
