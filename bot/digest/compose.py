"""Stories chosen for a chat -> the messages that show them, in the chat's language and time."""

from __future__ import annotations

import datetime as dt

from bot.digest import render
from bot.digest.schedule import local
from storage.digests import StoryRow


def card(
    slug: str, row: StoryRow, *, language: str, zone: str, names: dict[str, tuple[str, str]]
) -> render.StoryCard:
    return render.StoryCard(
        headline=row.headline, url=row.url, summary=row.summary,
        sources=tuple(row.sources[:3]), when=local(row.last_seen, zone),
        topic=names.get(slug, (slug, slug))[0 if language == "ar" else 1],
        related=tuple((row.others if row.related is None else row.related)[:3]),
    )  # fmt: skip


def messages(
    chosen: list[tuple[str, StoryRow]], *, language: str, zone: str, now: dt.datetime,
    names: dict[str, tuple[str, str]],
) -> list[str]:  # fmt: skip
    """Telegram HTML messages for (topic slug, story) pairs; `names` maps a slug to its
    (Arabic, English) names."""
    cards = [card(slug, row, language=language, zone=zone, names=names) for slug, row in chosen]
    return render.digest(cards, language=language, date=local(now, zone).date())
