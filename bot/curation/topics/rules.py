"""What a topic's rules find in an article: its keyword phrases in the headline, the
lead and the body, its exclusions, and the sections it is filed under. Pure.

Phrases are matched on stems (Arabic and English forms meet); the forms of one
word (فلسطين، الفلسطينية) are one phrase, counted once; a topic's phrases count at
most MAX_HITS times in a field. A topic's places (the countries of world news) are
phrases like its keywords where words are all there is to go by; beside what an
article means they are not read: a place says where news happened, not what kind
it is (Turkey's lira is economy news, a match in Brazil sport).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.curation.topics.document import Document, section_key
from bot.language import stems

HEADLINE_WEIGHT = 3.0  # a phrase in the headline counts as three in the body
LEAD_WEIGHT = 2.0
MAX_HITS = 3


@dataclass(frozen=True)
class TopicRule:
    slug: str
    keywords: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    # The broader topic this one is part of (football in sports): an article of
    # this one is also one of that.
    within: str | None = None
    # One of the broad topics an article is filed under first (world, economy,
    # sports...): they compete for an article. A narrower topic (a country, a running
    # story, football) is added when the article is about it.
    desk: bool = True
    describe: tuple[str, ...] = ()  # what it is about, in words: descriptions, headlines
    threshold: float | None = None  # the score it needs; None: the matcher's own
    places: tuple[str, ...] = ()  # keywords read only without the article's meaning


@dataclass(frozen=True)
class Hits:
    headline: float = 0.0  # weighted phrase hits in the headline and the lead
    body: float = 0.0
    section: bool = False  # the source filed it there (feed category, URL path)


class Rules:
    def __init__(self, rules: Iterable[TopicRule], *, places: bool = True) -> None:
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, bool]]] = defaultdict(list)
        self._sections: dict[str, list[str]] = defaultdict(list)
        for rule in rules:
            keywords = (*rule.keywords, *rule.places) if places else rule.keywords
            for phrase, excluded in [(k, False) for k in keywords] + [
                (e, True) for e in rule.excludes
            ]:
                key = tuple(stems(phrase))
                if key and (key, rule.slug, excluded) not in self._phrases[key[0]]:
                    self._phrases[key[0]].append((key, rule.slug, excluded))
            for section in rule.sections:
                if rule.slug not in self._sections[section_key(section)]:
                    self._sections[section_key(section)].append(rule.slug)

    def find(self, doc: Document) -> tuple[dict[str, Hits], set[str]]:
        """Each topic's hits, and the topics an exclusion rules out."""
        raw: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        excluded: set[str] = set()
        fields = doc.stems_of
        for name, weight, slot in (("title", HEADLINE_WEIGHT, 0), ("lead", LEAD_WEIGHT, 0),
                                   ("body", 1.0, 1)):  # fmt: skip
            for (slug, is_exclusion), hits in self._find(fields[name]).items():
                if is_exclusion:
                    excluded.add(slug)
                else:
                    raw[slug][slot] += weight * min(hits, MAX_HITS)
        filed = {slug for hint in doc.hints for slug in self._sections.get(hint, ())}
        found = {
            slug: Hits(raw[slug][0], raw[slug][1], slug in filed)
            for slug in set(raw) | filed
            if slug not in excluded
        }
        return found, excluded

    def _find(self, tokens: list[str]) -> Counter[tuple[str, bool]]:
        found: Counter[tuple[str, bool]] = Counter()
        for i, token in enumerate(tokens):
            for phrase, slug, excluded in self._phrases.get(token, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found[(slug, excluded)] += 1
        return found


@lru_cache(maxsize=8)
def rules_of(rules: tuple[TopicRule, ...], *, places: bool = True) -> Rules:
    """The index of these rules (with their places or not), built once and shared (a
    Rules is only read): the curator makes a matcher again at each relearning, and
    indexing stems every keyword of the catalog, 10 ms each time."""
    return Rules(rules, places=places)
