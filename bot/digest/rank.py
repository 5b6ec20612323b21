"""Which stories come first, and which headlines go with each. Pure.

A story's score grows with the number of distinct sources telling it (with
diminishing returns), how recent it is, how strongly it matches the topic, and
the weight of its sources. A selection stays diverse: a story once, and no
single source filling it. Related headlines: the same story told by other
sources first, then closely related recent stories (a shared topic and key
terms), then the page's own related links when they are on topic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HALF_LIFE = dt.timedelta(hours=12)
MAX_RELATED = 5


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


@dataclass(frozen=True)
class Headline:
    title: str
    url: str
    source: str


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


def related(
    story: Candidate,
    *,
    same_story: Sequence[Headline],
    recent: Sequence[tuple[Candidate, Headline]],
    page_links: Sequence[Headline] = (),  # the article's own, those on topic
    limit: int = MAX_RELATED,
) -> list[Headline]:
    """Up to `limit` headlines to show under a story, best kinds first."""
    picked: list[Headline] = []
    urls: set[str] = set()
    sources_shown: set[str] = {story.lead_source}

    def take(headline: Headline) -> None:
        if len(picked) < limit and headline.url not in urls:
            picked.append(headline)
            urls.add(headline.url)

    for headline in same_story:  # other sources first, one headline per source
        if headline.source not in sources_shown:
            sources_shown.add(headline.source)
            take(headline)
    close = sorted(
        ((_closeness(story, other), headline) for other, headline in recent
         if other.story_id != story.story_id),
        key=lambda pair: pair[0], reverse=True,
    )  # fmt: skip
    for closeness, headline in close:
        if closeness >= 0.15:
            take(headline)
    for headline in page_links:  # the caller passes those marked on topic at curation
        take(headline)
    return picked


def _closeness(story: Candidate, other: Candidate) -> float:
    if not (story.topics & other.topics):
        return 0.0
    if not story.terms or not other.terms:
        return 0.0
    return len(story.terms & other.terms) / len(story.terms | other.terms)
