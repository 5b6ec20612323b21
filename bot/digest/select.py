"""What a chat gets now: its followed topics' best recent stories, minus what it got.

Reads storage (recent stories, deliveries); the ranking itself is rank.py's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bot.digest.rank import Candidate, Headline, rank, related
from storage.digests import StoryRow

DIGEST_SIZE = 8
RELATED_SHOWN = 3


def candidates_by_topic(rows: list[StoryRow]) -> dict[str, list[tuple[Candidate, StoryRow]]]:
    """Each topic's recent stories, as rank candidates scored for that topic."""
    by_topic: dict[str, list[tuple[Candidate, StoryRow]]] = defaultdict(list)
    for row in rows:
        for slug, topic_score in row.topics.items():
            by_topic[slug].append((_candidate(row, topic_score), row))
    return by_topic


def _candidate(row: StoryRow, topic_score: float) -> Candidate:
    return Candidate(
        story_id=row.story_id, headline=row.headline, sources=row.source_count,
        last_seen=row.last_seen, topic_score=topic_score,
        lead_source=row.sources[0] if row.sources else "",
        terms=frozenset(row.terms), topics=frozenset(row.topics),
    )  # fmt: skip


def choose(
    followed: set[str],
    delivered: set[int],
    by_topic: dict[str, list[tuple[Candidate, StoryRow]]],
    now: dt.datetime,
    *,
    limit: int = DIGEST_SIZE,
    keywords: dict[str, set[str]] | None = None,
    rows: list[StoryRow] | None = None,
    muted: set[str] | None = None,
) -> list[tuple[str, StoryRow]]:
    """The chat's stories, best first, each with the followed topic (or free keyword, by
    its stems in `keywords`) it came through; keyword matches are looked for in `rows`."""
    pool: dict[int, tuple[Candidate, StoryRow, str]] = {}
    for keyword, needed in (keywords or {}).items():
        for row in rows or ():
            if needed and needed <= row.words and row.story_id not in delivered:
                pool.setdefault(row.story_id, (_candidate(row, 1.0), row, keyword))
    for slug in followed:
        for candidate, row in by_topic.get(slug, ()):
            if candidate.story_id in delivered:
                continue
            known = pool.get(candidate.story_id)
            if known is None or candidate.topic_score > known[0].topic_score:
                pool[candidate.story_id] = (candidate, row, slug)
    if muted:  # a story told only by muted sources is left out
        pool = {k: v for k, v in pool.items() if not set(v[1].sources) <= muted}
    ranked = rank((c for c, _, _ in pool.values()), now, limit=limit)
    chosen = [(pool[c.story_id][2], pool[c.story_id][1]) for c in ranked]
    for _, row in chosen:
        if row.related is None:  # the same for every chat, so worked out once
            row.related = _related(row, by_topic)
    return chosen


def _related(
    row: StoryRow, by_topic: dict[str, list[tuple[Candidate, StoryRow]]]
) -> list[tuple[str, str, str]]:
    """The same story from other sources, then close recent stories on a shared topic,
    then the links its page offered that curation found on topic."""
    recent: dict[int, tuple[Candidate, Headline]] = {}
    for slug in row.topics:
        for candidate, other in by_topic.get(slug, ()):
            if other.url and other.story_id not in recent:
                source = other.sources[0] if other.sources else ""
                recent[other.story_id] = (candidate, Headline(other.headline, other.url, source))
    picked = related(
        _candidate(row, 0.0), same_story=[Headline(*other) for other in row.others],
        recent=list(recent.values()), limit=RELATED_SHOWN,
        page_links=[Headline(*link) for link in row.page_links],
    )  # fmt: skip
    return [(h.title, h.url, h.source) for h in picked]
