"""Stories -> Telegram HTML messages of at most 4096 characters. Pure.

Every piece of text is escaped and bounded (a feed may send a 5,000-character
headline); a message is cut between stories, never inside one, and never inside
a tag or an entity; lines start in their own direction (an Arabic line is marked
RTL, and Latin runs inside it are isolated) so mixed lines read in order.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from bot.language import clip

MAX_TEXT = 4096
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'&:/-]*[A-Za-z0-9]|[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"

# What a story shows at most, in characters: its place in a message is bounded.
HEADLINE = 250
SUMMARY = 500
RELATED_TITLE = 120
NAME = 60  # a source's name, a topic's or a keyword
MAX_URL = 1000  # a longer address is shown without its link
_TAG = re.compile(r"<[^>]*>")

_TITLES = {"ar": "📰 موجز الأخبار", "en": "📰 Your news digest"}
_RELATED = {"ar": "ذات صلة", "en": "Related"}
_ALERT = {"ar": "🔴 عاجل", "en": "🔴 Breaking"}


@dataclass(frozen=True)
class StoryCard:
    headline: str
    url: str
    summary: str
    sources: tuple[str, ...]
    when: dt.datetime  # in the chat's own time
    topic: str  # the topic's name in the chat's language
    related: tuple[tuple[str, str, str], ...] = ()  # (title, url, source)


def digest(cards: list[StoryCard], *, language: str, date: dt.date) -> list[str]:
    """The digest's messages: a title, then the stories grouped by topic. `cards` come
    best first; a topic's group stands where its best story stood, keeping that order."""
    title = f"<b>{_line(_TITLES.get(language, _TITLES['en']))} – {date.isoformat()}</b>"
    blocks: list[str] = []
    topic = None
    place: dict[str, int] = {}
    for n, card in enumerate(cards):
        place.setdefault(card.topic, n)
    for card in sorted(cards, key=lambda c: place[c.topic]):
        block = []
        if card.topic != topic:
            topic = card.topic
            block.append(f"\n<b>{_line(clip(topic, NAME))}</b>")
        block.append(story(card, language=language))
        blocks.append("\n".join(block))
    return pack([title, *blocks])


def alert(card: StoryCard, *, language: str) -> str:
    """One breaking story, as its own message."""
    label = _line(_ALERT.get(language, _ALERT["en"]))
    heading = f"<b>{label} · {_line(clip(card.topic, NAME))}</b>"
    return pack([heading, story(card, language=language)])[0]


def story(card: StoryCard, *, language: str) -> str:
    lines = [f"• {_link(card.url, clip(card.headline, HEADLINE))}"]
    if card.summary:
        lines.append(_line(clip(card.summary, SUMMARY)))
    names = [clip(name, NAME) for name in card.sources]
    meta = "، ".join(names) if language == "ar" else ", ".join(names)
    lines.append(f"<i>{_line(meta)} · {card.when:%H:%M}</i>")
    if card.related:
        links = " · ".join(
            f"{_link(url, clip(title, RELATED_TITLE))} ({_line(clip(source, NAME))})"
            for title, url, source in card.related[:3]
        )
        lines.append(f"{_line(_RELATED.get(language, _RELATED['en']))}: {links}")
    return "\n".join(lines)


def pack(blocks: list[str], limit: int = MAX_TEXT) -> list[str]:
    """Blocks joined into messages of at most `limit` characters, never cutting one
    (a single block longer than the limit is cut between its lines)."""
    pieces: list[str] = []
    for block in blocks:
        if len(block) <= limit:
            pieces.append(block)
        else:
            pieces += _join([_fit(line, limit) for line in block.split("\n")], limit)
    return _join(pieces, limit)


def _fit(line: str, limit: int) -> str:
    """A line of HTML as it is if it fits; else its text alone, cut to fit: never a
    tag or an entity cut in two."""
    if len(line) <= limit:
        return line
    return html.escape(clip(html.unescape(_TAG.sub("", line)), limit // 2), quote=False)


def _join(pieces: list[str], limit: int) -> list[str]:
    """Consecutive pieces joined by line breaks, as many as fit in each message."""
    messages: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}\n{piece}" if current else piece
        if len(joined) <= limit:
            current = joined
        else:
            messages.append(current)
            current = piece
    return [*messages, current] if current else messages


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


def _link(url: str, text: str) -> str:
    """`text` linked to `url`; an address too long to be a real link is left out."""
    if not url or len(url) > MAX_URL:
        return _line(text)
    return f'<a href="{html.escape(url, quote=True)}">{_line(text)}</a>'


def _line(text: str) -> str:
    """Escaped text; an Arabic line starts right-to-left with Latin runs isolated."""
    text = " ".join(text.split())
    if _ARABIC.search(text):  # isolate before escaping, so no entity is cut in two
        text = RLM + _LATIN_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)
    return html.escape(text, quote=False)
