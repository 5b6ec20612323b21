"""Article -> topics with comparable scores in [0, 1]. Pure.

Two kinds of evidence. Rules from the topic catalog: keyword phrases (Arabic
and English, matched on stems), exclusions, and section hints (feed
categories, URL path parts); a headline counts more than a lead, a lead more
than the body. Profiles learned from the bot's own articles, seeded by the
rules (no labelled data): each topic's word profile is built from the
articles the rules put in it with confidence, so an article with no keyword
still lands near its topic. Free keywords that users follow are matched with
the same stems.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from bot.language import normalize, stems

FIELD_WEIGHTS = (("title", 3.0), ("lead", 2.0), ("body", 1.0))
SECTION_WEIGHT = 3.0
SATURATION = 8.0  # raw rule evidence at which a score reaches 1 - 1/e
CONFIDENT = 0.4  # a score that seeds a learned profile
PROFILE_WEIGHT = 30.0  # cosine similarity to a profile -> score: 1 - exp(-30 * cos)
BODY_WORDS = 400


@dataclass(frozen=True)
class TopicRule:
    slug: str
    keywords: tuple[str, ...]
    excludes: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    title: str
    lead: str = ""
    body: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()

    @cached_property
    def stems_of(self) -> dict[str, list[str]]:
        """Each field's stems (the body's first BODY_WORDS words), worked out once: the
        rules and the learned profiles both read them."""
        body = " ".join(self.body.split()[:BODY_WORDS])
        return {"title": stems(self.title), "lead": stems(self.lead), "body": stems(body)}

    def words(self) -> Counter[str]:
        fields = self.stems_of
        return Counter(fields["title"] * 2 + fields["lead"] + fields["body"])


@dataclass
class Matcher:
    rules: list[TopicRule]
    _phrases: dict[str, list[tuple[tuple[str, ...], str, bool]]] = field(init=False)
    _sections: dict[str, list[str]] = field(init=False)
    _profiled: list[str] = field(init=False, default_factory=list)  # topics with a profile
    # The profiles' weights, filed by word: a document meets only the profiles that
    # hold its words.
    _by_word: dict[str, list[tuple[str, float]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._phrases = defaultdict(list)
        self._sections = defaultdict(list)
        for rule in self.rules:
            for phrase, excluded in [(k, False) for k in rule.keywords] + [
                (e, True) for e in rule.excludes
            ]:
                key = tuple(stems(phrase))
                # Forms with one stem (فلسطين، الفلسطينية) are one phrase, counted once.
                if key and (key, rule.slug, excluded) not in self._phrases[key[0]]:
                    self._phrases[key[0]].append((key, rule.slug, excluded))
            for section in rule.sections:
                self._sections[normalize(section).strip("/")].append(rule.slug)

    def rule_scores(self, doc: Document) -> dict[str, float]:
        raw: dict[str, float] = defaultdict(float)
        excluded: set[str] = set()
        for name, weight in FIELD_WEIGHTS:
            found = self._find(doc.stems_of[name])
            for (slug, is_exclusion), hits in found.items():
                if is_exclusion:
                    excluded.add(slug)
                else:
                    raw[slug] += weight * min(hits, 3)
        for slug in self._section_hits(doc):
            raw[slug] += SECTION_WEIGHT
        return {
            slug: 1 - math.exp(-value / SATURATION)
            for slug, value in raw.items()
            if slug not in excluded and value > 0
        }

    def learn(self, docs: Iterable[Document], *, rounds: int = 1) -> int:
        """Builds each topic's profile from the documents claimed with confidence
        (each document's best topic): first by the rules alone, then, each further
        round, by rules and profiles together. Returns how many seeded the last round."""
        corpus = [(doc, doc.words()) for doc in docs]
        document_frequency: Counter[str] = Counter()
        for _, words in corpus:
            document_frequency.update(words.keys())
        used = 0
        for _ in range(rounds):
            totals: dict[str, Counter[str]] = defaultdict(Counter)
            used = 0
            for doc, words in corpus:
                ranked = (
                    self.match(doc, limit=1)
                    if self._profiled
                    else sorted(
                        self.rule_scores(doc).items(), key=lambda item: item[1], reverse=True
                    )
                )
                if ranked and ranked[0][1] >= CONFIDENT:
                    totals[ranked[0][0]].update(words)
                    used += 1
            self._build(totals, document_frequency, len(corpus))
        return used

    def _build(
        self, totals: dict[str, Counter[str]], document_frequency: Counter[str], count: int
    ) -> None:
        self._profiled, self._by_word = list(totals), defaultdict(list)
        for slug, counts in totals.items():
            vector = {
                w: c * math.log(1 + count / document_frequency[w])
                for w, c in counts.items()
                if document_frequency[w] > 1
            }
            norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
            for word, value in vector.items():
                self._by_word[word].append((slug, value / norm))

    def match(self, doc: Document, *, limit: int = 5) -> list[tuple[str, float]]:
        """The document's topics, best first, each scored in [0, 1]."""
        scores = self.rule_scores(doc)
        if self._profiled:
            words = doc.words()
            norm = math.sqrt(sum(c * c for c in words.values())) or 1.0
            dots = dict.fromkeys(self._profiled, 0.0)
            for word, count in words.items():
                for slug, weight in self._by_word.get(word, ()):
                    dots[slug] += count * weight
            for slug in self._profiled:
                similarity = dots[slug] / norm
                learned = 1 - math.exp(-PROFILE_WEIGHT * similarity)
                rule = scores.get(slug, 0.0)
                combined = 1 - (1 - rule) * (1 - learned)
                if combined > 0.05:
                    scores[slug] = combined
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return [(slug, round(score, 4)) for slug, score in ranked[:limit]]

    def _find(self, tokens: list[str]) -> Counter[tuple[str, bool]]:
        found: Counter[tuple[str, bool]] = Counter()
        for i, token in enumerate(tokens):
            for phrase, slug, excluded in self._phrases.get(token, ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found[(slug, excluded)] += 1
        return found

    def _section_hits(self, doc: Document) -> set[str]:
        hints = [normalize(c).strip() for c in doc.categories]
        path = normalize(doc.url.split("://", 1)[-1]).split("?")[0]
        hints += [part for part in path.split("/")[1:] if part]
        return {slug for hint in hints for slug in self._sections.get(hint.strip("/"), ())}


def keyword_matches(keyword: str, doc: Document) -> bool:
    """A free keyword a user follows ("إيلون ماسك", "OpenAI") appears in the document."""
    phrase = stems(keyword, drop_stopwords=False)
    if not phrase:
        return False
    tokens = stems(f"{doc.title} {doc.lead} {doc.body}", drop_stopwords=False)
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))
