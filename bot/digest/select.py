"""What a chat gets now: its followed topics' best recent stories, minus what it got.

Reads storage (recent stories, deliveries); the ranking itself is rank.py's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from bot.digest.coverage import Reader, coverage
from bot.digest.rank import Candidate, rank, score
from storage.digests import StoryRow

DIGEST_SIZE = 8


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


@dataclass
class Selection:
    chosen: list[tuple[str, StoryRow]]  # best first, each with the topic or keyword it came by
    # Each section's (topic slug or keyword) stories that came next, best first.
    next: dict[str, list[StoryRow]] = field(default_factory=dict)


def select(
    followed: set[str],
    delivered: set[int],
    by_topic: dict[str, list[tuple[Candidate, StoryRow]]],
    now: dt.datetime,
    *,
    limit: int = DIGEST_SIZE,
    keywords: dict[str, set[str]] | None = None,
    rows: list[StoryRow] | None = None,
    muted: set[str] | None = None,
    reader: Reader | None = None,
    following: int = 0,
) -> Selection:
    """The chat's stories, best first (`chosen`), each with the followed topic (or free
    keyword, by its stems in `keywords`) it came through, keyword matches looked for in
    `rows`; and the `following` stories that come next in each section. With a `reader`,
    only stories they get in their news languages (and not only from their muted
    sources)."""
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
    if reader is not None:  # and one with no report in the reader's languages
        pool = {k: v for k, v in pool.items() if coverage(v[1], reader) is not None}
    ranked = rank((c for c, _, _ in pool.values()), now, limit=limit)
    chosen = [(pool[c.story_id][2], pool[c.story_id][1]) for c in ranked]
    after: dict[str, list[StoryRow]] = {}
    if following:
        taken = {c.story_id for c in ranked}
        sections = {slug for slug, _ in chosen}
        rest = sorted((v for k, v in pool.items() if k not in taken and v[2] in sections),
                      key=lambda v: score(v[0], now), reverse=True)  # fmt: skip
        for _, row, slug in rest:
            if len(after.setdefault(slug, [])) < following:
                after[slug].append(row)
    return Selection(chosen, after)
