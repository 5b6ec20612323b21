"""Text -> a short extractive summary, in the article's own language. Pure.

Each sentence is scored by its place (news puts the point first), its
centrality (closeness to the article's weighted word profile), and its overlap
with the headline. A sentence that only repeats the headline is left out; one
that opens by pointing back ("He added", "وأضاف") counts less unless the
sentence before it is taken too; one with a broken quotation is avoided. The
chosen sentences keep the article's order and fit a character budget.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat
from operator import mul

from bot.language import detect_language, split_sentences, stems

_POINTS_BACK = re.compile(
    r"^(he|she|it|they|this|that|these|those|but|however|also|meanwhile|still|yet|and|"
    r"the\s+(?:two|three|former|latter)|his|her|their|its|such)\b|"
    r"^(و?(أضاف|اضاف|تابع|أشار|اشار|أوضح|اوضح|لفت|أكد|اكد)|كما|لكن|غير\s+أن|إلا\s+أن|"
    r"بدوره|بدورها|وبحسب|ولفت|هذا|هذه|ذلك|وهذا|وهذه|وكان|وكانت)",
    re.I,
)


@dataclass(frozen=True)
class Weights:
    position: float = 1.0
    decay: float = 0.15  # how fast the weight of a place falls
    centrality: float = 1.2
    title: float = 0.5
    points_back: float = 0.35
    short: float = 0.5
    redundancy: float = 0.6  # cosine above which a sentence repeats a chosen one


# Set on ../shared/bench/curation: English news (CNN) rewards central sentences
# beyond the lead; Arabic (BBC Arabic) keeps its point in the first lines.
WEIGHTS = {
    "en": Weights(),
    "ar": Weights(position=10.0, decay=1.0, centrality=1.0),
}


@dataclass(frozen=True)
class Sentences:
    """A text's sentences and the stems of each, worked out once: the summary reads
    them, and the text's stems are theirs end to end (see `stems_of_text`)."""

    texts: list[str]
    stems: list[list[str]]

    def stems_of_text(self) -> list[str]:
        """stems(text) of the whole text, without stemming it again: a sentence ends at
        whitespace, and stems() reads a text word by word (normalize and the word
        pattern never join or split across whitespace), so the text's stems are its
        sentences' stems in order."""
        return list(chain.from_iterable(self.stems))

    def stems_of_words(self, start: int, stop: int) -> list[str]:
        """stems(" ".join(text.split()[start:stop])) without stemming the text again:
        a sentence ends at whitespace, so its words are the text's, one after another;
        the sentences inside the range give their stems, the one or two that its ends
        cut are stemmed again."""
        found: list[str] = []
        at = 0  # the text's word that the sentence begins with
        for text, its_stems, count in zip(self.texts, self.stems, self._words, strict=True):
            end = at + count
            if at >= stop:
                break
            if end > start:
                if start <= at and end <= stop:
                    found += its_stems
                else:
                    found += stems(" ".join(text.split()[max(start - at, 0) : stop - at]))
            at = end
        return found

    @cached_property
    def _words(self) -> list[int]:
        """How many words (whitespace apart) each sentence has."""
        return [len(text.split()) for text in self.texts]


def sentences_of(text: str) -> Sentences:
    texts = split_sentences(text)
    return Sentences(texts, [stems(s) for s in texts])


def summarize(
    text: str, *, title: str = "", language: str | None = None, sentences: int = 3,
    budget: int = 400, split: Sentences | None = None,
) -> str:  # fmt: skip
    """2-3 sentences of `text` within `budget` characters (at least one sentence);
    `split`: sentences_of(text), when the caller has it already."""
    split = sentences_of(text) if split is None else split
    parts = split.texts
    chosen = pick(parts, sentences, title=title, language=language or detect_language(text),
                  words=split.stems)  # fmt: skip
    kept: list[str] = []
    for index in chosen:
        if kept and sum(len(s) + 1 for s in kept) + len(parts[index]) > budget:
            break
        kept.append(parts[index])
    return " ".join(kept)


def pick(
    sentences: list[str], k: int, *, title: str = "", language: str = "en",
    weights: Weights | None = None, words: list[list[str]] | None = None,
) -> list[int]:  # fmt: skip
    """Indexes of the `k` best sentences, in article order (`words`: their stems, if
    worked out already)."""
    weights = weights or WEIGHTS.get(language, WEIGHTS["en"])
    words = [stems(s) for s in sentences] if words is None else words
    bags = [Counter(w) for w in words]
    norms = [math.sqrt(sum(map(mul, bag.values(), bag.values()))) for bag in bags]
    usable = [i for i, bag in enumerate(bags) if bag]
    if len(usable) <= k:
        return usable
    heading = set(stems(title)) if title else set()
    centroid = _centroid(words, bags)
    centroid_norm = math.sqrt(sum(map(mul, centroid.values(), centroid.values())))
    scores = {}
    for i in usable:
        bag, sentence = bags[i], sentences[i]
        if heading:
            shared = len(bag.keys() & heading)
            if shared / (len(bag) + len(heading) - shared) >= 0.7:  # their Jaccard
                continue  # the headline again
        score = weights.position / (1 + weights.decay * i) ** 0.8
        score += weights.centrality * _cosine(bag, centroid, norms[i], centroid_norm)
        if heading:
            score += weights.title * shared / len(heading)
        if len(sentence.split()) < 6:
            score -= weights.short
        if _broken_quote(sentence):
            score -= weights.short
        scores[i] = score
    chosen: list[int] = []
    for i in sorted(scores, key=scores.__getitem__, reverse=True):
        if len(chosen) == k:
            break
        if any(_cosine(bags[i], bags[j], norms[i], norms[j]) > weights.redundancy
               for j in chosen):  # fmt: skip
            continue
        chosen.append(i)
    # A sentence pointing back at one not taken gives way to the next best, if any.
    for position, i in enumerate(list(chosen)):
        if i > 0 and (i - 1) not in chosen and _POINTS_BACK.match(sentences[i]):
            spare = [j for j in sorted(scores, key=scores.__getitem__, reverse=True)
                     if j not in chosen and not _POINTS_BACK.match(sentences[j])]  # fmt: skip
            if spare and scores[spare[0]] > scores[i] - weights.points_back:
                chosen[position] = spare[0]
    return sorted(chosen)


def _centroid(words: list[list[str]], bags: list[Counter[str]]) -> dict[str, float]:
    """The article's words, each counted and weighted by how few sentences use it.
    Counted over whole lists (in C), not by adding up the sentences' Counters."""
    used_in = Counter(chain.from_iterable(bags))  # a Counter iterates its words once
    total = Counter(chain.from_iterable(words))
    n = len(bags)
    # The weight of a word used in m sentences, one log for each m (not for each word).
    weight = {m: math.log(1 + n / m) for m in set(used_in.values())}
    used = map(weight.__getitem__, map(used_in.__getitem__, total))
    return dict(zip(total, map(mul, total.values(), used), strict=True))


def _cosine(
    a: Counter[str] | dict[str, float], b: Counter[str] | dict[str, float],
    norm_a: float, norm_b: float,
) -> float:  # fmt: skip
    if len(a) > len(b):
        a, b = b, a
    # sum(v * b.get(w, 0.0) for w, v in a.items()), each step in C
    dot = sum(map(mul, a.values(), map(b.get, a, repeat(0.0))))
    return dot / (norm_a * norm_b) if dot else 0.0


def _broken_quote(sentence: str) -> bool:
    return (
        sentence.count('"') % 2 == 1
        or sentence.count("“") != sentence.count("”")
        or sentence.count("«") != sentence.count("»")
    )
