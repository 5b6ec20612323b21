"""Stories -> Telegram HTML messages of at most 4096 characters. Pure.

Every piece of text is escaped; a message is cut between stories, never inside
one; lines start in their own direction (an Arabic line is marked RTL, and
Latin runs inside it are isolated) so mixed lines read in order.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

MAX_TEXT = 4096
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'&:/-]*[A-Za-z0-9]|[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"

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
            block.append(f"\n<b>{_line(topic)}</b>")
        block.append(story(card, language=language))
        blocks.append("\n".join(block))
    return pack([title, *blocks])


def alert(card: StoryCard, *, language: str) -> str:
    """One breaking story, as its own message."""
    heading = f"<b>{_line(_ALERT.get(language, _ALERT['en']))} · {_line(card.topic)}</b>"
    return pack([heading, story(card, language=language)])[0]


def story(card: StoryCard, *, language: str) -> str:
    lines = [f'• <a href="{html.escape(card.url, quote=True)}">{_line(card.headline)}</a>']
    if card.summary:
        lines.append(_line(card.summary))
    meta = "، ".join(card.sources) if language == "ar" else ", ".join(card.sources)
    lines.append(f"<i>{_line(meta)} · {card.when:%H:%M}</i>")
    if card.related:
        links = " · ".join(
            f'<a href="{html.escape(url, quote=True)}">{_line(title)}</a> ({_line(source)})'
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
            pieces += _join([line[:limit] for line in block.split("\n")], limit)
    return _join(pieces, limit)


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


def search_results(heading: str, found: list[tuple[str, str, str, dt.datetime]]) -> str:
    """Search results under `heading`: each headline linked, then its source and its
    local date and time. `found`: (title, url, source name, local time). The heading is
    in the chat's language and keeps its own direction, whatever the query's script."""
    lines = [html.escape(heading, quote=False)]
    for title, url, source, when in found:
        lines.append(f'• <a href="{html.escape(url, quote=True)}">{_line(title)}</a>')
        where = f"{_line(source)} · " if source else ""
        lines.append(f"<i>{where}{when:%Y-%m-%d %H:%M}</i>")
    return "\n".join(lines)


def _line(text: str) -> str:
    """Escaped text; an Arabic line starts right-to-left with Latin runs isolated."""
    text = " ".join(text.split())
    if _ARABIC.search(text):  # isolate before escaping, so no entity is cut in two
        text = RLM + _LATIN_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)
    return html.escape(text, quote=False)
