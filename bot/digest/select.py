"""What a chat gets now: its followed topics' best recent stories, minus what it got.

Reads storage (recent stories, deliveries); the ranking itself is rank.py's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from bot.digest.rank import Candidate, rank
from storage.digests import StoryRow

DIGEST_SIZE = 8


def candidates_by_topic(rows: list[StoryRow]) -> dict[str, list[tuple[Candidate, StoryRow]]]:
    """Each topic's recent stories, as rank candidates scored for that topic."""
    by_topic: dict[str, list[tuple[Candidate, StoryRow]]] = defaultdict(list)
    for row in rows:
        for slug, topic_score in row.topics.items():
            candidate = Candidate(
                story_id=row.story_id, headline=row.headline, sources=row.source_count,
                last_seen=row.last_seen, topic_score=topic_score,
                lead_source=row.sources[0] if row.sources else "",
                terms=frozenset(row.terms), topics=frozenset(row.topics),
            )  # fmt: skip
            by_topic[slug].append((candidate, row))
    return by_topic


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
                candidate = Candidate(
                    story_id=row.story_id, headline=row.headline, sources=row.source_count,
                    last_seen=row.last_seen, topic_score=1.0,
                    lead_source=row.sources[0] if row.sources else "",
                )  # fmt: skip
                pool.setdefault(row.story_id, (candidate, row, keyword))
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
    return [(pool[c.story_id][2], pool[c.story_id][1]) for c in ranked]
