"""Topic profiles learned from the bot's own articles: for each topic, the words
and the mean meaning of the stored articles filed under it with confidence. No
labelled data: what files them is the catalog's rules and descriptions. Pure.

Words are weighted by TF-IDF over the articles learned from; the profiles are one
matrix, a row a word and a column a topic (every topic, in the order given, so
that the matcher adds them to its other evidence without looking topics up), and
a document's similarity to all of them is one product over its own words' rows.

A topic's stored articles are many kinds of its news (the economy: markets,
companies, jobs, prices), so their meaning is kept as the mean and as a few
groups' means (spherical k-means, one group per KIND_SIZE articles, at most
KINDS): an article close to one kind is of the topic even when far from the mean,
as an article close to one of a topic's seed headlines is.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

from bot.curation.topics.document import Document, Vector

SEASONED = 30  # articles after which a profile is trusted half as much as it can be
KINDS = 8  # groups of a topic's stored meanings, at most
KIND_SIZE = 30  # articles a group, at least
KIND_ROUNDS = 8  # rounds of k-means
Array = npt.NDArray[np.float64]


class Profiles:
    def __init__(self, slugs: Sequence[str] = ()) -> None:
        self.slugs = tuple(slugs)  # the matrices' columns (rows of _meanings)
        self.sizes: Counter[str] = Counter()  # articles learned from, by topic
        self._rows: dict[str, int] = {}  # word -> its row in _words
        self._words = np.zeros((0, len(self.slugs)), dtype=np.float32)
        self._meanings = np.zeros((len(self.slugs), 0), dtype=np.float32)  # unit rows
        self.has_meaning = np.zeros(len(self.slugs), dtype=bool)  # a row in _meanings
        # The weights that make a product with the similarities their mean.
        self.mean_weights = np.zeros(len(self.slugs))
        self._trust = np.zeros(len(self.slugs))
        # The kinds' unit means, a topic's together; where each topic's begin, and whose.
        self._kinds = np.zeros((0, 0), dtype=np.float32)
        self._kind_starts = np.zeros(0, dtype=np.int64)
        self._kind_topics = np.zeros(0, dtype=np.int64)

    @classmethod
    def learn(
        cls, claimed: Iterable[tuple[Document, Iterable[str]]], slugs: Sequence[str]
    ) -> Profiles:
        """From documents and the topics (of `slugs`) they were filed under with
        confidence."""
        profiles = cls(slugs)
        column = {slug: n for n, slug in enumerate(profiles.slugs)}
        corpus = [(doc, doc.words(), list(slugs)) for doc, slugs in claimed]
        frequency: Counter[str] = Counter()
        for _, words, _ in corpus:
            frequency.update(words.keys())
        totals: dict[str, Counter[str]] = defaultdict(Counter)
        sums: dict[str, Vector] = {}
        meanings: dict[str, list[Vector]] = defaultdict(list)
        dim: int | None = None  # the vectors' (one embedder's)
        for doc, words, slugs in corpus:
            for slug in slugs:
                totals[slug].update(words)
                profiles.sizes[slug] += 1
                if doc.vector is not None and (dim is None or len(doc.vector) == dim):
                    dim = len(doc.vector)
                    sums[slug] = sums[slug] + doc.vector if slug in sums else doc.vector.copy()
                    meanings[slug].append(doc.vector)
        vocabulary = sorted({w for counts in totals.values() for w in counts if frequency[w] > 1})
        profiles._rows = {word: row for row, word in enumerate(vocabulary)}
        matrix = np.zeros((len(vocabulary), len(profiles.slugs)), dtype=np.float32)
        for slug, counts in totals.items():
            for word, count in counts.items():
                if (row := profiles._rows.get(word)) is not None:
                    matrix[row, column[slug]] = count * math.log(1 + len(corpus) / frequency[word])
        norms = np.linalg.norm(matrix, axis=0)
        profiles._words = (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        if dim is not None:
            means = np.zeros((len(profiles.slugs), dim), dtype=np.float32)
            for slug, total in sums.items():
                means[column[slug]] = total / (np.linalg.norm(total) or 1.0)
                profiles.has_meaning[column[slug]] = True
            profiles._meanings = means
            profiles.mean_weights = profiles.has_meaning / profiles.has_meaning.sum()
            profiles._learn_kinds(meanings, column)
        sizes = np.array([profiles.sizes[s] for s in profiles.slugs], dtype=np.float64)
        profiles._trust = sizes / (sizes + SEASONED)
        return profiles

    def _learn_kinds(self, meanings: dict[str, list[Vector]], column: dict[str, int]) -> None:
        kinds: list[npt.NDArray[np.float32]] = []
        starts: list[int] = []
        topics: list[int] = []
        for slug in self.slugs:
            if not meanings.get(slug):
                continue
            starts.append(sum(len(k) for k in kinds))
            topics.append(column[slug])
            vectors = np.vstack(meanings[slug]).astype(np.float32)
            kinds.append(_kinds_of(vectors, max(1, min(KINDS, len(vectors) // KIND_SIZE))))
        self._kinds = np.vstack(kinds)
        self._kind_starts = np.array(starts, dtype=np.int64)
        self._kind_topics = np.array(topics, dtype=np.int64)

    def trust(self) -> Array:
        """How far each topic's profile is trusted, from 0 (none learned) towards 1."""
        return self._trust

    def word_similarity(self, doc: Document) -> Array:
        """The cosine of the document's words with each topic's profile (0 without one)."""
        words = doc.words()
        # One lookup a word, in C (map), and the counts as one array: this runs for
        # every article, over its few hundred words.
        rows = np.fromiter(map(self._rows.get, words, repeat(-1)), dtype=np.int64, count=len(words))
        known = rows >= 0
        if not known.any():
            return np.zeros(len(self.slugs))
        counts = np.fromiter(words.values(), dtype=np.float32, count=len(words))
        norm = float(np.sqrt(counts @ counts))
        dots = counts[known] @ self._words[rows[known]] / norm
        return dots.astype(np.float64)

    def vector_similarity(self, vector: Vector | None, *, nearest: float = 0.0) -> Array | None:
        """The cosine of the document's meaning with each profile's mean meaning, this
        `nearest` share of it with the nearest of the profile's kinds instead (0 where
        has_meaning is not); None when there is none to compare with."""
        if vector is None or vector.shape != (self._meanings.shape[1],):
            return None
        similarity = (self._meanings @ vector).astype(np.float64)
        if nearest > 0 and len(self._kind_topics):
            closest = np.maximum.reduceat(self._kinds @ vector, self._kind_starts)
            topics = self._kind_topics
            similarity[topics] = (1 - nearest) * similarity[topics] + nearest * closest
        return similarity


def _kinds_of(vectors: npt.NDArray[np.float32], count: int) -> npt.NDArray[np.float32]:
    """`count` unit means of the unit vectors' groups (spherical k-means), started from
    vectors spread evenly over the list: the same articles give the same kinds."""
    means = vectors[np.linspace(0, len(vectors) - 1, count).astype(np.int64)].copy()
    for _ in range(KIND_ROUNDS if count > 1 else 0):
        nearest = (vectors @ means.T).argmax(axis=1)
        for kind in range(count):
            total = vectors[nearest == kind].sum(axis=0)
            if (norm := float(np.linalg.norm(total))) > 0:
                means[kind] = total / norm
    if count == 1:
        total = vectors.sum(axis=0)
        means[0] = total / (float(np.linalg.norm(total)) or 1.0)
    return means
