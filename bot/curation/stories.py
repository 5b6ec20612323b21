"""Same event, other sources: online story clustering and copy detection. Pure.

Each article is placed as it arrives, in one pass, among the stories of a
recent window (72 h by default): with what it means (a vector), by its closeness
in words and meaning to each candidate story; by words alone, by a
Dirichlet-process mixture (bot/curation/mixture.py). Only stories sharing a rare
word with the article, or nearest to it in meaning, are considered (an inverted
index), and stories leave the window as they age, so the cost of placing an
article depends on the window, never on the archive. Near copies:
bot/curation/copies.py; an article beside a story's reports:
bot/curation/reports.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from operator import mul

from bot.curation.copies import Copies
from bot.curation.meanings import Meanings, Vectors
from bot.curation.mixture import CANDIDATES, by_words, sharing
from bot.curation.reports import Reports
from bot.curation.specifics import Pinned, Specifics
from bot.curation.story_words import key_terms

_LONG_AGO = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
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
# Half of the closeness is to the story's reports most like the article (reports.py).
# A story many reports have joined is the likelier to get the next one (the prior of a
# Dirichlet process, as in MStream): its bar is lower by this times the log of its
# size, the less so the more words the text has (a headline's closeness is a thin
# clue, a long text's needs no prior). On GoogleNews headlines, whose events have
# dozens of reports, stories otherwise split into many.
BIG_STORY = 0.015
# A long text, and an article reached across languages (by meaning alone), is close to
# every story on its subject: a long one shares the subject's names and places, and the
# model's cosines across languages run high on a subject (an Arabic text from half the
# English stories of a busy window, none of its event, at BAR_ACROSS or more). So there
# the story must stand clear of the next candidate by CLEAR, or the article starts a
# story of its own; for a text of CLEAR_FROM story words, not at all, rising to the full
# gap at MEANT_LONG. Those words are the subject's, and what the text means tells its
# events apart: a story closer than the next in meaning by CLEAR stands clear of it too
# (long BBC Arabic, 1st half: 0.938 -> 0.941; of the second tellings that did not join
# their first, 13 in 38 were the best but within the gap, most of them within it by
# words and well ahead in meaning). A headline, or headline and snippet, is as close to
# two parts of one big event as to either: from two such, it joins the closer.
CLEAR = 0.08
CLEAR_FROM = 40


# Most stories in a window have one article (about 250 distinct words when its whole
# text is read): such a story holds that article's words and TF-IDF as given, the very
# dicts its one report holds, and copies them only when a second article joins it.
@dataclass(slots=True)
class _Story:
    size: int = 0
    words: int = 0
    counts: Counter[str] = field(default_factory=Counter)  # the article's own, at first
    last_seen: dt.datetime = field(default=_LONG_AGO)
    sources: set[int] = field(default_factory=set)  # so no query asks "a new source?"
    headline: Counter[str] = field(default_factory=Counter)  # its headline's words
    languages: set[str] = field(default_factory=set)  # of its articles
    weights: dict[str, float] | Counter[str] = field(default_factory=dict)  # TF-IDF, summed
    weight_norm: float = 0.0
    # The articles holding each word beyond the first (a word is in `counts` when one
    # is): only the words two articles share.
    repeated: Counter[str] = field(default_factory=Counter)
    reports: Reports = field(default_factory=Reports)  # its last ones
    pinned: Pinned = field(default_factory=Pinned)  # what they pin down (specifics.py)


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
        self.beta_long = beta_long  # ... and for a long text (mixture.py)
        self._stories: dict[int, _Story] = {}
        # word -> the stories holding it: most words are one story's, a tuple (a quarter
        # of a set's memory), a set once a second story holds it
        self._by_word: dict[str, tuple[int] | set[int]] = {}
        self._df: Counter[str] = Counter()  # articles in the window holding each word
        self._documents = 0
        # The words placing weighed last (a copy) and their weights: adding the article
        # next weighs them again, the window unchanged. Let go of whenever the window's
        # words change (add, expire).
        self._weighed: tuple[dict[str, int], dict[str, float]] | None = None
        self._copies = Copies()

    def place(
        self, words: Counter[str], sketch: tuple[int, ...] = (), *,
        vector: Vectors | None = None, language: str | None = None,
        when: dt.datetime | None = None, told: Specifics | None = None,
    ) -> Placement:  # fmt: skip
        """Where an article with these words (and, if known, this meaning, in this
        language, published `when`, pinning down `told`: specifics.py) goes; changes
        nothing (see `add`)."""
        copy_of = self._copies.copy_of(sketch)
        comparable = vector is not None and (
            not len(self._meanings) or len(vector) == self._meanings.dim
        )
        if vector is not None and comparable:
            return Placement(self._by_closeness(words, vector, language, when, told), copy_of)
        if not words:
            return Placement(None, copy_of)
        found = by_words(words, self._stories, self._by_word, self._documents,
                         alpha=self.alpha, beta=self.beta, beta_long=self.beta_long)  # fmt: skip
        return Placement(found, copy_of)

    def _by_closeness(
        self, words: Counter[str], vector: Vectors, language: str | None,
        when: dt.datetime | None, told: Specifics | None,
    ) -> int | None:  # fmt: skip
        """The story closest to the article in words and meaning, if close enough;
        None for a new story."""
        weights = self._weights(words, keep=True)
        focus = min(1.0, sum(words.values()) / MEANT_LONG)
        mix = WORDS_SHORT + (WORDS_LONG - WORDS_SHORT) * focus
        bar = BAR_SHORT + (BAR_LONG - BAR_SHORT) * focus
        candidates = {story for story, _ in self._meanings.nearest(vector, NEAREST)}
        overlap = sharing([h for w in words if (h := self._by_word.get(w))])
        candidates.update(story for story, _ in overlap.most_common(CANDIDATES // 2))
        margins: dict[int, float] = {}  # closeness over the bar, a story each
        across_to: set[int] = set()  # those reached by meaning alone
        meanings: dict[int, float] = {}  # closeness in meaning, to those in its language
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
                across_to.add(story_id)
            else:
                held = story.weights  # only the shared words are looked up: fewer, in C
                shared = sum(weights[w] * held[w] for w in weights.keys() & held.keys())
                worded = shared / story.weight_norm if story.weight_norm else 0.0
                # A story stored without a meaning (the embedder was away): words alone.
                if meant is None:
                    closeness, other = worded, None
                else:
                    worded, meant, other = story.reports.weigh(
                        worded, meant, weights, vector, language, story.languages
                    )
                    closeness = mix * worded + (1 - mix) * meant
                needed = bar - BIG_STORY * (1 - focus) * math.log(story.size)
                # Its reports in another language are reached by meaning alone, as when the
                # story has none in the article's: a third report of an event may be close
                # to the other language's report and further from its own language's.
                if other is not None and other - BAR_ACROSS > closeness - needed:
                    closeness, needed = other, BAR_ACROSS
                    across_to.add(story_id)
                elif meant is not None:
                    meanings[story_id] = meant
            if when is not None:
                closeness -= DECAY * abs((when - story.last_seen).total_seconds()) / 86_400
            closeness -= story.pinned.against(told, when)
            margins[story_id] = closeness - needed
        return _clear_best(margins, across_to, sum(words.values()), meanings)

    def _weights(self, words: Counter[str], *, keep: bool = False) -> dict[str, float]:
        """The article's TF-IDF unit vector over the window's articles; `keep`: for
        the add() that comes next (placing by meaning: 15% of its cost)."""
        # dict's own ==, in C: a Counter's is a loop in Python.
        if self._weighed is not None and dict.__eq__(self._weighed[0], words):
            return self._weighed[1]
        documents = self._documents + 1
        raw = {w: (1 + math.log(c)) * math.log(documents / (self._df.get(w, 0) + 0.5))
               for w, c in words.items()}  # fmt: skip
        norm = math.sqrt(sum(map(mul, raw.values(), raw.values()))) or 1.0
        weights = {w: v / norm for w, v in raw.items()}
        if keep:
            self._weighed = dict(words), weights
        return weights

    def add(
        self, story_id: int, article_id: int, words: Counter[str], when: dt.datetime,
        sketch: tuple[int, ...] = (), *, source_id: int | None = None,
        headline: Counter[str] | None = None, vector: Vectors | None = None,
        language: str | None = None, told: Specifics | None = None,
    ) -> None:  # fmt: skip
        """Records an article in a story (new or not), from `source_id`; `headline`: the
        story's headline words, when the story is new or takes a new headline; `told`:
        what the article pins down (specifics.py). `words` is kept, not copied: the
        caller does not change it after."""
        story = self._stories.setdefault(story_id, _Story())
        if vector is not None:
            self._meanings.add(story_id, vector)
        if language:
            story.languages.add(language)
        weights = self._weights(words)
        if not story.size:
            story.weights, story.counts = weights, words
        else:
            if story.size == 1:  # its first article's own words: copied now
                story.counts = Counter(story.counts)
            held = story.weights  # a plain dict while it is its first article's own
            summed: Counter[str] = held if isinstance(held, Counter) else Counter(held)
            summed.update(weights)
            story.weights = summed
            story.repeated.update(w for w in words if w in story.counts)
            story.counts.update(words)
        story.reports.add(weights, vector, language)
        story.pinned.add(told, when)
        story.weight_norm = math.sqrt(sum(map(mul, story.weights.values(),
                                              story.weights.values())))  # fmt: skip
        self._df.update(words.keys())
        self._weighed = None
        if source_id is not None:
            story.sources.add(source_id)
        if headline is not None:
            story.headline = headline
        story.size += 1
        story.words += sum(words.values())
        story.last_seen = max(story.last_seen, when)
        by_word = self._by_word
        for word in words:
            holders = by_word.get(word)
            if holders is None:
                by_word[word] = (story_id,)
            elif isinstance(holders, set):
                holders.add(story_id)
            elif holders[0] != story_id:
                by_word[word] = {holders[0], story_id}
        self._documents += 1
        if sketch:
            self._copies.add(article_id, sketch, when)

    def expire(self, now: dt.datetime) -> None:
        """Forgets stories and sketches older than the window."""
        cutoff = now - self.window
        self._weighed = None
        for story_id in [s for s, story in self._stories.items() if story.last_seen < cutoff]:
            story = self._stories.pop(story_id)
            self._meanings.forget(story_id)
            self._df.subtract(story.counts.keys())
            self._df.subtract(story.repeated)
            self._documents -= story.size
            for word in story.counts:
                holders = self._by_word.get(word)
                if isinstance(holders, set):
                    holders.discard(story_id)
                if holders is not None and (isinstance(holders, tuple) or not holders):
                    del self._by_word[word]  # no article in the window holds it
                    del self._df[word]
        self._copies.expire(cutoff)

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


def _clear_best(
    margins: dict[int, float], across_to: set[int], length: int, meanings: dict[int, float]
) -> int | None:
    """The story over its bar by the most (`margins`), if it stands clear of the next
    by the gap its kind asks (CLEAR), or, in its language, is closer in meaning
    (`meanings`) than the next by CLEAR; None for a new story."""
    best = max(margins, key=margins.__getitem__, default=None)
    if best is None or margins[best] < 0:
        return None
    if best in across_to:
        gap = CLEAR
    else:
        gap = CLEAR * min(1.0, max(0.0, (length - CLEAR_FROM) / (MEANT_LONG - CLEAR_FROM)))
    meant = meanings.get(best)
    for story, margin in margins.items():
        if story == best or margins[best] - margin >= gap:
            continue
        if meant is None or story not in meanings or meant - meanings[story] < CLEAR:
            return None
    return best
