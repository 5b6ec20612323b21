"""Topic profiles learned from the bot's own articles: for each topic, the words
and the mean meaning of the stored articles filed under it with confidence. No
labelled data: what files them is the catalog's rules and descriptions. Pure.

Words are weighted by TF-IDF over the articles learned from; the profiles are one
matrix, a row a word and a column a topic, so that a document's similarity to all
of them is one product over its own words' rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from bot.curation.topics.document import Document, Vector

SEASONED = 30  # articles after which a profile is trusted half as much as it can be


class Profiles:
    def __init__(self) -> None:
        self.sizes: Counter[str] = Counter()  # articles learned from, by topic
        self._slugs: list[str] = []  # the topics with a profile: the matrices' columns
        self._rows: dict[str, int] = {}  # word -> its row in _words
        self._words = np.zeros((0, 0), dtype=np.float32)
        self._meanings = np.zeros((0, 0), dtype=np.float32)  # a unit mean vector a row
        self._learned_meaning: list[str] = []  # the topics of _meanings' rows

    @classmethod
    def learn(cls, claimed: Iterable[tuple[Document, Iterable[str]]]) -> Profiles:
        """From documents and the topics they were filed under with confidence."""
        profiles = cls()
        corpus = [(doc, doc.words(), list(slugs)) for doc, slugs in claimed]
        frequency: Counter[str] = Counter()
        for _, words, _ in corpus:
            frequency.update(words.keys())
        totals: dict[str, Counter[str]] = defaultdict(Counter)
        sums: dict[str, Vector] = {}
        dim: int | None = None  # the vectors' (one embedder's)
        for doc, words, slugs in corpus:
            for slug in slugs:
                totals[slug].update(words)
                profiles.sizes[slug] += 1
                if doc.vector is not None and (dim is None or len(doc.vector) == dim):
                    dim = len(doc.vector)
                    sums[slug] = sums[slug] + doc.vector if slug in sums else doc.vector.copy()
        profiles._slugs = list(totals)
        vocabulary = sorted({w for counts in totals.values() for w in counts if frequency[w] > 1})
        profiles._rows = {word: row for row, word in enumerate(vocabulary)}
        matrix = np.zeros((len(vocabulary), len(totals)), dtype=np.float32)
        for column, counts in enumerate(totals.values()):
            for word, count in counts.items():
                if (row := profiles._rows.get(word)) is not None:
                    matrix[row, column] = count * math.log(1 + len(corpus) / frequency[word])
        norms = np.linalg.norm(matrix, axis=0)
        profiles._words = (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        if sums:
            profiles._learned_meaning = list(sums)
            means = np.vstack(list(sums.values()))
            norms = np.linalg.norm(means, axis=1, keepdims=True)
            profiles._meanings = (means / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        return profiles

    def trust(self, slug: str) -> float:
        """How far a topic's profile is trusted, from 0 (none learned) towards 1."""
        size = self.sizes[slug]
        return size / (size + SEASONED)

    def word_similarity(self, doc: Document) -> dict[str, float]:
        """The cosine of the document's words with each topic's profile."""
        if not self._slugs:
            return {}
        words = doc.words()
        found = [(row, count) for w, count in words.items()
                 if (row := self._rows.get(w)) is not None]  # fmt: skip
        if not found:
            return {}
        rows, counts = zip(*found, strict=True)
        norm = math.sqrt(sum(c * c for c in words.values()))
        dots = np.asarray(counts, dtype=np.float32) @ self._words[list(rows)] / norm
        return dict(zip(self._slugs, dots.tolist(), strict=True))

    def vector_similarity(self, vector: Vector | None) -> dict[str, float]:
        """The cosine of the document's meaning with each profile's mean meaning."""
        if vector is None or vector.shape != (self._meanings.shape[1],):
            return {}
        return dict(zip(self._learned_meaning, (self._meanings @ vector).tolist(), strict=True))
