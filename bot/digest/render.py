"""Stories -> Telegram HTML messages that Telegram takes whole. Pure.

A message shows at most 4096 characters, is at most MAX_HTML of HTML (links to
every outlet's report make the markup longer than the text) and holds at most
100 entities (Telegram ignores those after). Every piece of text is escaped and
bounded (a feed may send a 5,000-character headline); a message is cut between
stories, never inside one, and never inside a tag or an entity; each line starts
in its own direction (an Arabic line is marked RTL) and runs of the other script
inside it are isolated, so mixed lines read in order.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from bot.digest.when import digits
from bot.language import clip

MAX_TEXT = 4096  # characters a message shows (counted in UTF-16 code units: never more)
MAX_HTML = 8000  # of the HTML sent: Telegram refuses entities of much more (ENTITIES_TOO_LONG)
MAX_ENTITIES = 100  # Telegram ignores a message's entities past the hundredth
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'&:/-]*[A-Za-z0-9]|[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff](?:[\u0600-\u06ff\s]*[\u0600-\u06ff])?")
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"

# What a story shows at most, in characters: its place in a message is bounded.
HEADLINE = 250
SUMMARY = 500
RELATED_TITLE = 120
NAME = 60  # a source's name, a topic's or a keyword
MAX_URL = 1000  # a longer address is shown without its link
SOURCES_SHOWN = 5  # outlets named under a story; the rest are counted
_TAG = re.compile(r"<[^>]*>")
_OPENING = re.compile(r"<[a-z]")

_TITLES = {"ar": "📰 موجز الأخبار", "en": "📰 Your news digest"}
_RELATED = {"ar": "ذات صلة", "en": "Related"}
_ALERT = {"ar": "🔴 عاجل", "en": "🔴 Breaking"}
_MORE_SOURCES = {"ar": "و{n} غيرها", "en": "+{n} more"}


@dataclass(frozen=True)
class Related:
    title: str
    url: str
    source: str
    when: str = ""  # its day when not today ("yesterday", "Sunday"), as the reader says it


@dataclass(frozen=True)
class StoryCard:
    headline: str
    url: str
    summary: str
    sources: tuple[tuple[str, str], ...]  # (outlet, the address of its report), lead's first
    when: str  # when it was published, as the reader says it ("07:40", "yesterday 22:10")
    topic: str  # the topic's name in the chat's language
    related: tuple[Related, ...] = ()


@dataclass(frozen=True)
class Part:
    """One message of a digest, and where each section whose last story it holds ends
    in its HTML (by the section's name): where more of that section would go."""

    text: str
    ends: tuple[tuple[str, int], ...] = ()


def digest(cards: list[StoryCard], *, language: str, day: str) -> list[Part]:
    """The digest's messages: a title with the day (in words) and the topics it covers,
    then the stories grouped by topic. `cards` come best first; a topic's group stands
    where its best story stood, keeping that order."""
    place: dict[str, int] = {}
    for n, card in enumerate(cards):
        place.setdefault(card.topic, n)
    topics = list(place)
    title = f"<b>{_line(_TITLES.get(language, _TITLES['en']) + ' – ' + day)}</b>"
    if len(topics) > 1:  # one alone is named by its section, right under the title
        title += f"\n<i>{_line(' · '.join(clip(t, NAME) for t in topics))}</i>"
    blocks: list[tuple[str, str | None]] = [(title, None)]
    topic = None
    for card in sorted(cards, key=lambda c: place[c.topic]):
        block = []
        if card.topic != topic:
            topic = card.topic
            block.append(f"\n<b>{_line(clip(topic, NAME))}</b>")
        block.append(story(card, language=language))
        blocks.append(("\n".join(block), card.topic))
    return _pack_marked(blocks)


def alert(card: StoryCard, *, language: str) -> str:
    """One breaking story, as its own message."""
    label = _line(_ALERT.get(language, _ALERT["en"]))
    heading = f"<b>{label} · {_line(clip(card.topic, NAME))}</b>"
    return pack([heading, story(card, language=language)])[0]


def story(card: StoryCard, *, language: str) -> str:
    lines = [f"• {_link(card.url, clip(card.headline, HEADLINE))}"]
    if card.summary:
        lines.append(_line(clip(card.summary, SUMMARY)))
    lines.append(_sources(card, language))
    if card.related:
        label = _RELATED.get(language, _RELATED["en"])
        rtl = language == "ar"  # the line's direction is the chat's
        separator = "، " if language == "ar" else ", "
        entries = []
        for related in card.related[:3]:
            said = clip(related.source, NAME) + (separator + related.when if related.when else "")
            entries.append(f"{_link(related.url, clip(related.title, RELATED_TITLE), rtl=rtl)} "
                           f"({_text(said, rtl)})")  # fmt: skip
        lines.append(f"{RLM if rtl else ''}{_text(label, rtl)}: {' · '.join(entries)}")
    return "\n".join(lines)


def _sources(card: StoryCard, language: str) -> str:
    """Every outlet that tells the story, each linked to its own report, and when it was
    first published: the story's whole coverage."""
    shown = card.sources[:SOURCES_SHOWN]
    rtl = language == "ar"  # the line's direction is the chat's; other scripts isolated
    names = [_link(url, clip(name, NAME), rtl=rtl) for name, url in shown]
    more = len(card.sources) - len(shown)
    if more > 0:
        count = digits(str(more), language)
        names.append(_text(_MORE_SOURCES.get(language, _MORE_SOURCES["en"]).format(n=count), rtl))
    meta = ("، " if language == "ar" else ", ").join(names)
    when = f" · {_text(card.when, rtl)}" if card.when else ""
    return f"{RLM if rtl else ''}<i>{meta}{when}</i>"


def visible(message: str) -> int:
    """How long Telegram counts a message of ours: its text without tags, in UTF-16."""
    shown = html.unescape(_TAG.sub("", message))
    return len(shown.encode("utf-16-le")) // 2


def fits(message: str, limit: int = MAX_TEXT) -> bool:
    """Whether Telegram takes the message whole: its text, its HTML and its entities."""
    return (visible(message) <= limit and len(message) <= MAX_HTML
            and len(_OPENING.findall(message)) <= MAX_ENTITIES)  # fmt: skip


def pack(blocks: list[str], limit: int = MAX_TEXT) -> list[str]:
    """Blocks joined into messages of at most `limit` characters, never cutting one
    (a single block longer than the limit is cut between its lines)."""
    return [part.text for part in _pack_marked([(b, None) for b in blocks], limit)]


def _pack_marked(blocks: list[tuple[str, str | None]], limit: int = MAX_TEXT) -> list[Part]:
    """As `pack`, each block with the name of the section it belongs to (or None): each
    message says where the sections whose last block it holds end."""
    pieces: list[tuple[str, str | None]] = []
    for block, mark in blocks:
        if fits(block, limit):
            pieces.append((block, mark))
        else:
            lines = [_fit(line, limit) for line in block.split("\n")]
            pieces += [(line, mark if n == len(lines) - 1 else None)
                       for n, line in enumerate(lines)]  # fmt: skip
    parts: list[tuple[str, dict[str, int]]] = []
    current, ends = "", dict[str, int]()
    for piece, mark in pieces:
        joined = f"{current}\n{piece}" if current else piece
        if current and not fits(joined, limit):
            parts.append((current, ends))
            current, ends = piece, {}
        else:
            current = joined
        if mark is not None:
            ends[mark] = len(current)
    if current:
        parts.append((current, ends))
    last = {mark: n for n, (_, marks) in enumerate(parts) for mark in marks}
    return [
        Part(text, tuple((m, at) for m, at in marks.items() if last[m] == n))
        for n, (text, marks) in enumerate(parts)
    ]


def _fit(line: str, limit: int) -> str:
    """A line of HTML as it is if it fits; else its text alone, cut to fit: never a
    tag or an entity cut in two."""
    if fits(line, limit):
        return line
    return html.escape(clip(html.unescape(_TAG.sub("", line)), limit // 2), quote=False)


def search_results(
    heading: str, found: list[tuple[str, str, str, dt.datetime]], limit: int = MAX_TEXT
) -> str:
    """Search results under `heading`: each headline linked, then its source and its
    local date and time. `found`: (title, url, source name, local time). The heading is
    in the chat's language and keeps its own direction, whatever the query's script.
    As many results as fit in one message."""
    message = html.escape(clip(heading, HEADLINE), quote=False)
    for title, url, source, when in found:
        where = f"{_line(clip(source, NAME))} · " if source else ""
        entry = f"• {_link(url, clip(title, HEADLINE))}\n<i>{where}{when:%Y-%m-%d %H:%M}</i>"
        if len(message) + 1 + len(entry) > limit:
            break
        message += "\n" + entry
    return message


def _link(url: str, text: str, *, rtl: bool | None = None) -> str:
    """`text` linked to `url`; an address too long to be a real link, or not a web page's,
    is left out. With
    `rtl` given, the text is a piece of a line of that direction (no mark of its own)."""
    shown = _line(text) if rtl is None else _text(text, rtl)
    if not url or len(url) > MAX_URL or not url.startswith(("https://", "http://")):
        return shown
    return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'


def _line(text: str) -> str:
    """Escaped text; an Arabic line starts right-to-left with Latin runs isolated."""
    rtl = bool(_ARABIC.search(text))
    return (RLM if rtl else "") + _text(text, rtl)


def _text(text: str, rtl: bool) -> str:
    """Escaped text inside a line: the runs of the other direction's script are
    isolated (Latin in a right-to-left line, Arabic in a left-to-right one)."""
    text = " ".join(text.split())
    run = _LATIN_RUN if rtl else _ARABIC_RUN
    # Isolated before escaping, so no entity is cut in two.
    text = run.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)
    return html.escape(text, quote=False)
