"""A story's recent reports, and an article's closeness to those most like it. Pure.

A story's centroid is the average of its reports: a story that wrongly holds two
events sits between them, close to articles on neither (and then draws more in),
while a big story's centroid is its subject, not each of its angles. So half of
the closeness is to the story's reports themselves: the mean of the article's
closeness to the NEAREST_REPORTS of them most like it, among the RECENT_REPORTS
last ones in its language. For a pair, that is average-link (both reports must be
close); for a big story, its few reports most like the article.

The reports' vectors are one matrix, a row each, so an article is compared with
all of them in one product; their words are indexed (word -> the reports using
it, as the bits of one int: a list of (report, weight) pairs a word held three
times the memory of the reports' weights), so only the words an article shares
with a report are looked at.
"""

from __future__ import annotations

import numpy as np

from bot.curation.meanings import Vectors

NEAREST_REPORTS = 3
RECENT_REPORTS = 20  # ... which bounds the cost and memory of a story
REPORTS_SHARE = 0.5


class Reports:
    """A story's last RECENT_REPORTS reports: their TF-IDF, what they mean (if known)
    and their language, a slot each (the oldest report's slot takes the next)."""

    def __init__(self) -> None:
        self._weights: list[dict[str, float]] = []  # a slot's TF-IDF
        self._languages: list[str | None] = []
        self._meant: list[bool] = []  # whether a slot's report has a vector
        self._in: dict[str | None, list[int]] = {}  # language -> its slots
        self._matrix: Vectors | None = None  # a row a slot (zeros without a vector)
        # word -> the slots using it, a bit each: made when first asked for (placing by
        # words alone, no one asks), then kept
        self._by_word: dict[str, int] | None = None
        self._oldest = 0  # once every slot is taken, the one the next report takes

    def add(self, weights: dict[str, float], vector: Vectors | None, language: str | None) -> None:
        if self._matrix is None and vector is not None:
            self._matrix = np.zeros((len(self._weights), len(vector)), dtype=np.float32)
        meant = vector is not None and self._matrix is not None and len(vector) == self.dim
        if len(self._weights) < RECENT_REPORTS:
            slot = len(self._weights)
            self._weights.append(weights)
            self._languages.append(language)
            self._meant.append(meant)
            if self._matrix is not None:
                row = np.asarray(vector if meant else np.zeros(self.dim), dtype=np.float32)
                self._matrix = np.vstack([self._matrix, row])
        else:
            slot = self._oldest
            self._oldest = (slot + 1) % RECENT_REPORTS
            if self._by_word is not None:
                for word in self._weights[slot]:
                    if using := self._by_word[word] & ~(1 << slot):
                        self._by_word[word] = using
                    else:
                        del self._by_word[word]
            self._in[self._languages[slot]].remove(slot)
            self._weights[slot], self._languages[slot], self._meant[slot] = (
                weights, language, meant,
            )  # fmt: skip
            if self._matrix is not None:
                self._matrix[slot] = vector if meant else 0.0
        self._in.setdefault(language, []).append(slot)
        if self._by_word is not None:
            self._index(slot)

    def _index(self, slot: int) -> None:
        assert self._by_word is not None
        by_word, bit = self._by_word, 1 << slot
        for word in self._weights[slot]:
            by_word[word] = by_word.get(word, 0) | bit

    @property
    def dim(self) -> int:
        return 0 if self._matrix is None else self._matrix.shape[1]

    def weigh(
        self, worded: float, meant: float, weights: dict[str, float], vector: Vectors,
        language: str | None, languages: set[str],
    ) -> tuple[float, float, float | None]:  # fmt: skip
        """The article's closeness to the story in words and in meaning (`worded`,
        `meant`: to its whole), moved REPORTS_SHARE of the way to its closeness to the
        reports in its language most like it (`weights`: its TF-IDF); and its closeness
        in meaning to those in other known languages (`languages`: the story's) most
        like it, None if it has none with a vector or its language is not known."""
        if len(self._languages) == 1 and self._languages[0] == language:
            # One report, in the article's language: it is the story's whole, so the
            # closeness to it is `worded` and `meant` already (most stories in a window
            # have one; their word index is then never built).
            return worded, meant, None
        scores = None
        if self._matrix is not None and len(vector) == self.dim:
            scores = (self._matrix @ vector).tolist()  # all the reports in one product
        if same := self._in.get(language):
            worded += REPORTS_SHARE * (_nearest(self._worded(weights), same) - worded)
            with_vector = same if all(self._meant) else [s for s in same if self._meant[s]]
            if scores is not None and with_vector:
                meant += REPORTS_SHARE * (_nearest(scores, with_vector) - meant)
        return worded, meant, self._across(scores, language, languages)

    def _worded(self, weights: dict[str, float]) -> list[float]:
        """The cosine of the article's TF-IDF with each report's, a slot each."""
        if self._by_word is None:
            self._by_word = {}
            for slot in range(len(self._weights)):
                self._index(slot)
        shared = [0.0] * len(self._weights)
        by_word, held = self._by_word, self._weights
        for word in weights.keys() & by_word.keys():  # the words some report uses
            x = weights[word]
            using = by_word[word]
            while using:
                slot = (using & -using).bit_length() - 1
                shared[slot] += x * held[slot][word]
                using &= using - 1
        return shared

    def _across(
        self, scores: list[float] | None, language: str | None, languages: set[str]
    ) -> float | None:
        if scores is None or language is None or languages <= {language}:
            return None
        other = [slot for lang, slots in self._in.items() if lang is not None and lang != language
                 for slot in slots if self._meant[slot]]  # fmt: skip
        return _nearest(scores, other) if other else None


def _nearest(values: list[float], slots: list[int]) -> float:
    """The mean of the NEAREST_REPORTS highest of the slots' values."""
    chosen = values if len(slots) == len(values) else [values[slot] for slot in slots]
    best = sorted(chosen, reverse=True)[:NEAREST_REPORTS]
    return sum(best) / len(best)
