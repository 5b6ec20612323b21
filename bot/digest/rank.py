"""Which stories come first. Pure.

A story's score grows with the number of distinct sources telling it (with
diminishing returns), how recent it is, how strongly it matches the topic, and
the weight of its sources. A selection stays diverse: a story once, and no
single source filling it. (What goes under each story: related.py.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

HALF_LIFE = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Candidate:
    story_id: int
    headline: str
    sources: int
    last_seen: dt.datetime
    topic_score: float = 0.0
    source_weight: float = 1.0
    lead_source: str = ""  # the source of the story's best article
    terms: frozenset[str] = field(default_factory=frozenset)
    topics: frozenset[str] = field(default_factory=frozenset)


def score(story: Candidate, now: dt.datetime) -> float:
    age = max(0.0, (now - story.last_seen).total_seconds())
    recency = math.pow(0.5, age / HALF_LIFE.total_seconds())
    breadth = 1 + math.log2(max(1, story.sources))
    return breadth * recency * (0.5 + story.topic_score) * story.source_weight


def rank(
    stories: Iterable[Candidate], now: dt.datetime, *, limit: int, per_source: int = 2
) -> list[Candidate]:
    """The best `limit` stories, each once, at most `per_source` led by one source."""
    chosen: list[Candidate] = []
    seen: set[int] = set()
    by_source: Counter[str] = Counter()
    for story in sorted(stories, key=lambda s: score(s, now), reverse=True):
        if story.story_id in seen or by_source[story.lead_source] >= per_source:
            continue
        chosen.append(story)
        seen.add(story.story_id)
        by_source[story.lead_source] += 1
        if len(chosen) == limit:
            break
    return chosen
