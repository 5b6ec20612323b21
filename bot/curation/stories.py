"""Same event, other sources: online story clustering and copy detection. Pure.

Each article is placed as it arrives, in one pass, among the stories of a
recent window (72 h by default), by a Dirichlet-process mixture over words
(MStream, Yin et al. 2018): an article joins the story whose word counts make
its words most probable, weighted by the story's size, or starts a new story
when that is more probable. In a longer text, a word that many stories share
counts less than a rare one, and the text's words together count as a dozen
independent ones at most, so that texts on one subject (a country, a leader)
do not merge unless they tell one event. Only stories sharing a word with the
article are considered (an inverted index), and stories leave the window as
they age, so the cost of placing an article depends on the window, never on
the archive.

Copies (wire copy re-published by several outlets) are found with a bottom-k
sketch of each article's word 4-grams: two articles whose sketches agree on
most of their smallest hashes are near-identical.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import zlib
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

import numpy as np

from bot.curation.meanings import Meanings, Vectors
from bot.language import stems

_LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
SKETCH = 16
# Only a sketch's smallest hashes index it: near copies share at least one of them
# (articles alike at 0.7 miss each other about once in a hundred), and an index of all
# 16 held a set per hash: 68 MB for 20,000 articles, against 11 MB for these.
INDEXED = 4
CANDIDATES = 40  # the stories sharing the most words with an article are scored
CANDIDATE_WORDS = 8  # ... counted over its rarest words
COPY_SIMILARITY = 0.7
LONG = 20  # story words (a headline has 6 or so) from which a text counts as long
EVIDENCE = 12  # a text's words count as at most this many independent ones
# MStream's numbers move with the window: the odds for a new story grow with the
# articles in it, and with the words in it, words an article does not share with a
# story cost it less. On a busy window long texts split from their stories, or
# merged with stories on their subject. Beyond these sizes, the numbers stay put.
MAX_DOCUMENTS = 1000
MAX_VOCABULARY = 10_000
# With what an article means (a unit vector, bot/curation/embed.py), it is placed by
# closeness instead: to each candidate story, a mix of the cosine of their words
# (TF-IDF over the window) and of their meanings; across languages (a story with no
# report in the article's language) the meaning alone. The bars, the mix and the
# decay were set on the tune halves of bench/stories.py's sets (GoogleNews titles
# and snippets, long CNN and BBC Arabic texts, our Arabic/English events).
WORDS_SHORT = 0.3  # the words' share of the mix for a headline ...
WORDS_LONG = 0.8  # ... and for a text of MEANT_LONG story words or more
MEANT_LONG = 50
BAR_SHORT = 0.30  # the closeness that joins a story, for a headline ...
BAR_LONG = 0.28  # ... and for a long text
BAR_ACROSS = 0.40  # meaning alone, across languages
DECAY = 0.25  # closeness asked for more, a day after the story was last told
NEAREST = 5  # stories nearest by meaning weighed beside those sharing rare words
# A story's centroid is the average of its reports: a story that wrongly holds two
# events sits between them, close to articles on neither (and then draws more in),
# while a big story's centroid is its subject, not each of its angles. So half of
# the closeness is to the story's reports themselves: the mean of the article's
# closeness to the NEAREST_REPORTS of them most like it, among the RECENT_REPORTS
# last ones in its language. For a pair, that is average-link (both reports must be
# close); for a big story, its few reports most like the article.
NEAREST_REPORTS = 3
RECENT_REPORTS = 20  # ... which bounds the cost and memory of a story
REPORTS_SHARE = 0.5
# A story many reports have joined is the likelier to get the next one (the prior of a
# Dirichlet process, as in MStream): its bar is lower by this times the log of its
# size, the less so the more words the text has (a headline's closeness is a thin
# clue, a long text's needs no prior). On GoogleNews headlines, whose events have
# dozens of reports, stories otherwise split into many.
BIG_STORY = 0.015


@dataclass
class _Story:
    size: int = 0
    words: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    last_seen: dt.datetime = field(default=_LONG_AGO)
    sources: set[int] = field(default_factory=set)  # so no query asks "a new source?"
    headline: Counter[str] = field(default_factory=Counter)  # its headline's words
    languages: set[str] = field(default_factory=set)  # of its articles
    weights: Counter[str] = field(default_factory=Counter)  # its articles' TF-IDF, summed
    weight_norm: float = 0.0
    holding: Counter[str] = field(default_factory=Counter)  # articles holding each word
    # Its last reports: their TF-IDF, what they mean (if known) and their language.
    reports: deque[tuple[dict[str, float], Vectors | None, str | None]] = field(
        default_factory=lambda: deque(maxlen=RECENT_REPORTS)
    )


@dataclass(frozen=True)
class Placement:
    story: int | None  # an existing story's id, or None for a new story
    copy_of: int | None  # the article this one is a near copy of


class StoryIndex:
    """The recent stories, held in memory and rebuilt from storage at start."""

    def __init__(
        self, *, window: dt.timedelta = dt.timedelta(hours=72), alpha: float = 1.0,
        beta: float = 0.04, beta_long: float = 0.07,
    ) -> None:  # fmt: skip
        self.window = window
        self._meanings = Meanings()
        self.alpha = alpha
        self.beta = beta  # word smoothing for a headline alone ...
        self.beta_long = beta_long  # ... and for a text of LONG words or more
        self._stories: dict[int, _Story] = {}
        self._by_word: dict[str, set[int]] = defaultdict(set)
        self._df: Counter[str] = Counter()  # articles in the window holding each word
        self._documents = 0
        self._sketches: dict[int, tuple[int, ...]] = {}
        self._by_hash: dict[int, list[int]] = {}
        self._seen_at: dict[int, dt.datetime] = {}

    def place(
        self, words: Counter[str], sketch: tuple[int, ...] = (), *,
        vector: Vectors | None = None, language: str | None = None,
        when: dt.datetime | None = None,
    ) -> Placement:  # fmt: skip
        """Where an article with these words (and, if known, this meaning, in this
        language, published `when`) goes; changes nothing (see `add`)."""
        copy_of = self._copy_of(sketch)
        comparable = vector is not None and (
            not len(self._meanings) or len(vector) == self._meanings.dim
        )
        if vector is not None and comparable:
            return Placement(self._by_closeness(words, vector, language, when), copy_of)
        return Placement(self._by_words(words) if words else None, copy_of)

    def _by_closeness(
        self, words: Counter[str], vector: Vectors, language: str | None,
        when: dt.datetime | None,
    ) -> int | None:  # fmt: skip
        """The story closest to the article in words and meaning, if close enough;
        None for a new story."""
        weights = self._weights(words)
        focus = min(1.0, sum(words.values()) / MEANT_LONG)
        mix = WORDS_SHORT + (WORDS_LONG - WORDS_SHORT) * focus
        bar = BAR_SHORT + (BAR_LONG - BAR_SHORT) * focus
        candidates = {story for story, _ in self._meanings.nearest(vector, NEAREST)}
        holders = sorted((h for w in words if (h := self._by_word.get(w))), key=len)
        overlap: Counter[int] = Counter()
        for stories in holders[:CANDIDATE_WORDS]:
            overlap.update(stories)
        candidates.update(story for story, _ in overlap.most_common(CANDIDATES // 2))
        best, best_margin = None, 0.0
        for story_id in candidates:
            story = self._stories.get(story_id)
            if story is None:
                continue
            meant = self._meanings.similarity(story_id, vector)
            across = language is not None and language not in story.languages
            if across and meant is None:
                continue  # no word and no meaning to compare
            if across:
                closeness, needed = meant or 0.0, BAR_ACROSS
            else:
                shared = sum(x * story.weights.get(w, 0.0) for w, x in weights.items())
                worded = shared / story.weight_norm if story.weight_norm else 0.0
                # A story stored without a meaning (the embedder was away): words alone.
                if meant is None:
                    closeness = worded
                else:
                    reported = _to_reports(story, weights, vector, language)
                    if reported is not None:
                        near_words, near_meaning = reported
                        worded += REPORTS_SHARE * (near_words - worded)
                        if near_meaning is not None:
                            meant += REPORTS_SHARE * (near_meaning - meant)
                    closeness = mix * worded + (1 - mix) * meant
                needed = bar - BIG_STORY * (1 - focus) * math.log(story.size)
                # Its reports in another language are reached by meaning alone, as when the
                # story has none in the article's: a third report of an event may be close
                # to the other language's report and further from its own language's.
                other = _across_reports(story, vector, language) if meant is not None else None
                if other is not None and other - BAR_ACROSS > closeness - needed:
                    closeness, needed = other, BAR_ACROSS
            if when is not None:
                closeness -= DECAY * abs((when - story.last_seen).total_seconds()) / 86_400
            if closeness - needed >= best_margin:
                best, best_margin = story_id, closeness - needed
        return best

    def _weights(self, words: Counter[str]) -> dict[str, float]:
        """The article's TF-IDF unit vector over the window's articles."""
        documents = self._documents + 1
        raw = {w: (1 + math.log(c)) * math.log(documents / (self._df.get(w, 0) + 0.5))
               for w, c in words.items()}  # fmt: skip
        norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
        return {w: v / norm for w, v in raw.items()}

    def _by_words(self, words: Counter[str]) -> int | None:
        """The story these words fit best (MStream), or None for a new story."""
        held = {w: h for w in words if (h := self._by_word.get(w))}  # the stories with w
        vocabulary = min(len(self._by_word) + len(words) - len(held), MAX_VOCABULARY)
        documents = min(self._documents + 1, MAX_DOCUMENTS)
        length = sum(words.values())
        lg = math.lgamma
        # A headline needs every word it has. A longer text also carries words that
        # many stories share ("government", "tuesday"): there a word counts by how
        # few stories hold it (inverse story frequency, as in OSDM, Kumar et al.
        # 2022), the more so the longer the text. Relative to the text's other words
        # that stories hold: while the window holds few stories, they weigh alike.
        focus = min(1.0, length / LONG)
        beta = self.beta + (self.beta_long - self.beta) * focus
        stories_now = len(self._stories) + 2
        rarity = {w: math.log(stories_now / (1 + len(h))) for w, h in held.items()}
        mean_rarity = sum(rarity.values()) / len(rarity) if rarity else 1.0
        weight = {w: (r / mean_rarity) ** focus for w, r in rarity.items()}
        # The words of a text are no independent draws: one about Putin also says
        # Kremlin, Moscow and Russian. Counted as independent, a long text's words
        # make a likeness of subject look as sure as the same event, and long texts
        # merged into stories by subject. So a text's evidence counts as that of at
        # most EVIDENCE words (a tempered likelihood); the priors (a story's size,
        # alpha) stay whole.
        temper = min(1.0, EVIDENCE / length)
        # Words a story has never seen weigh the same in every story and in a new
        # one: count them once (`unseen`), then only the shared words per story.
        unseen = {w: lg(beta + c) - lg(beta) for w, c in words.items()}
        base = sum(unseen.values())
        new = base - (lg(vocabulary * beta + length) - lg(vocabulary * beta))
        new = math.log(self.alpha * documents) + temper * new
        best, best_score = None, new
        # Candidates come from the article's rarest words: a word every story has
        # tells nothing, and counting its holders would cost more than all the rest.
        holders = sorted(held.values(), key=len)
        overlap: Counter[int] = Counter()
        for stories in holders[:CANDIDATE_WORDS]:
            overlap.update(stories)
        # Only words some story holds can be in a candidate.
        shared = [(w, words[w], weight[w], unseen[w]) for w in held]
        for story_id, _ in overlap.most_common(CANDIDATES):
            story = self._stories[story_id]
            score = base
            counts = story.counts
            for word, count, word_weight, alone in shared:
                n = counts.get(word)
                if n:
                    score += word_weight * (lg(n + beta + count) - lg(n + beta) - alone)
            score -= lg(story.words + vocabulary * beta + length) - lg(
                story.words + vocabulary * beta
            )
            score = math.log(story.size) + temper * score
            if score > best_score:
                best, best_score = story_id, score
        return best

    def add(
        self, story_id: int, article_id: int, words: Counter[str], when: dt.datetime,
        sketch: tuple[int, ...] = (), *, source_id: int | None = None,
        headline: Counter[str] | None = None, vector: Vectors | None = None,
        language: str | None = None,
    ) -> None:  # fmt: skip
        """Records an article in a story (new or not), from `source_id`; `headline`: the
        story's headline words, when the story is new or takes a new headline."""
        story = self._stories.setdefault(story_id, _Story())
        if vector is not None:
            self._meanings.add(story_id, vector)
        if language:
            story.languages.add(language)
        weights = self._weights(words)
        story.weights.update(weights)
        story.reports.append((weights, vector, language))
        story.weight_norm = math.sqrt(sum(v * v for v in story.weights.values()))
        story.holding.update(words.keys())
        self._df.update(words.keys())
        if source_id is not None:
            story.sources.add(source_id)
        if headline is not None:
            story.headline = headline
        story.size += 1
        story.words += sum(words.values())
        story.counts.update(words)
        story.last_seen = max(story.last_seen, when)
        for word in words:
            self._by_word[word].add(story_id)
        self._documents += 1
        if sketch:
            self._sketches[article_id] = sketch
            self._seen_at[article_id] = when
            for value in sketch[:INDEXED]:
                self._by_hash.setdefault(value, []).append(article_id)

    def expire(self, now: dt.datetime) -> None:
        """Forgets stories and sketches older than the window."""
        cutoff = now - self.window
        for story_id in [s for s, story in self._stories.items() if story.last_seen < cutoff]:
            story = self._stories.pop(story_id)
            self._meanings.forget(story_id)
            self._df.subtract(story.holding)
            self._documents -= story.size
            for word in story.counts:
                holders = self._by_word.get(word)
                if holders is not None:
                    holders.discard(story_id)
                    if not holders:
                        del self._by_word[word]
        for article_id in [a for a, when in self._seen_at.items() if when < cutoff]:
            for value in self._sketches.pop(article_id, ())[:INDEXED]:
                sharing = self._by_hash.get(value)
                if sharing is not None and article_id in sharing:
                    sharing.remove(article_id)
                    if not sharing:
                        del self._by_hash[value]
            del self._seen_at[article_id]

    def __len__(self) -> int:
        return len(self._stories)

    def learn_meaning(self, story_id: int, vector: Vectors) -> None:
        """An article of the story, embedded after it was placed: the story learns it."""
        if story_id in self._stories:
            self._meanings.add(story_id, vector)

    def meaning(self, story_id: int) -> Vectors | None:
        """What the story means (its articles' mean vector), if known."""
        return self._meanings.vector(story_id)

    def terms(self, story_id: int, count: int = 12) -> list[str]:
        """The story's key words: those most of its articles use."""
        story = self._stories.get(story_id)
        return key_terms(story.counts, count) if story else []

    def add_source(self, story_id: int, source_id: int) -> None:
        """A source the story had before its articles in the window (on rebuilding)."""
        if (story := self._stories.get(story_id)) is not None:
            story.sources.add(source_id)

    def has_source(self, story_id: int, source_id: int) -> bool:
        story = self._stories.get(story_id)
        return story is not None and source_id in story.sources

    def better_headline(self, story_id: int, words: Counter[str]) -> bool:
        """Whether a headline with these words fits the story better than its own."""
        story = self._stories.get(story_id)
        return story is not None and self.fit(story_id, words) > self.fit(story_id, story.headline)

    def fit(self, story_id: int, words: Counter[str]) -> float:
        """How well these words (a headline's) stand for the story: the mean share of
        the story's articles that use each of them."""
        story = self._stories.get(story_id)
        if story is None or not words or not story.size:
            return 0.0
        return sum(min(story.counts.get(w, 0), story.size) for w in words) / (
            len(words) * story.size
        )

    def _copy_of(self, sketch: tuple[int, ...]) -> int | None:
        if not sketch:
            return None
        votes: Counter[int] = Counter()
        for value in sketch:
            votes.update(self._by_hash.get(value, ()))
        for article_id, _ in votes.most_common(3):
            if similarity(sketch, self._sketches[article_id]) >= COPY_SIMILARITY:
                return article_id
        return None


def _to_reports(
    story: _Story, weights: dict[str, float], vector: Vectors, language: str | None
) -> tuple[float, float | None] | None:
    """The article's closeness in words, and in meaning (None if none of them has a
    vector), to the story's NEAREST_REPORTS recent reports in its language most like
    it, averaged; None if the story has no recent report in its language."""
    same = [(w, v) for w, v, lang in story.reports if lang == language]
    if not same:
        return None
    # Only the article's words the story holds can count: a long text has a hundred
    # words, and each of its reports would be looked up for all of them.
    held = [(t, x) for t, x in weights.items() if t in story.counts]
    worded = sorted((sum(x * w.get(t, 0.0) for t, x in held) for w, _ in same),
                    reverse=True)[:NEAREST_REPORTS]  # fmt: skip
    vectors = [v for _, v in same if v is not None]
    meant: list[float] = []
    if vectors:  # one product for all the reports, not one a report
        meant = sorted((np.stack(vectors) @ vector).tolist(), reverse=True)[:NEAREST_REPORTS]
    return sum(worded) / len(worded), sum(meant) / len(meant) if meant else None


def _across_reports(story: _Story, vector: Vectors, language: str | None) -> float | None:
    """The article's closeness in meaning to the story's NEAREST_REPORTS recent reports
    in other (known) languages most like it, averaged; None if it has none with a
    vector, or the article's language is not known."""
    if language is None or story.languages <= {language}:
        return None
    meant = sorted((float(v @ vector) for _, v, lang in story.reports
                    if lang is not None and lang != language and v is not None),
                   reverse=True)[:NEAREST_REPORTS]  # fmt: skip
    return sum(meant) / len(meant) if meant else None


def story_words(title: str, text: str) -> Counter[str]:
    """What an article is about, for placing it: the stems of its headline and of
    its lead or first lines."""
    return Counter(stems(f"{title} {text[:600]}"))


def key_terms(counts: Counter[str], count: int = 12) -> list[str]:
    """The words used most: a story's key terms."""
    return [w for w, _ in counts.most_common(count)]


def sketch(text: str) -> tuple[int, ...]:
    """The SKETCH smallest hashes of the text's word 4-grams (empty for short texts)."""
    tokens = text.lower().split()
    if len(tokens) < 20:
        return ()
    shingles = zip(tokens, tokens[1:], tokens[2:], tokens[3:], strict=False)
    hashes = {zlib.crc32(" ".join(shingle).encode("utf-8")) for shingle in shingles}
    return tuple(sorted(heapq.nsmallest(SKETCH, hashes)))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of two sketches (bottom-k of the union)."""
    union = heapq.nsmallest(SKETCH, set(a) | set(b))
    both = set(a) & set(b)
    return sum(1 for value in union if value in both) / len(union) if union else 0.0
