"""Placing by words alone: a Dirichlet-process mixture over words. Pure.

MStream (Yin et al. 2018): an article joins the story whose word counts make
its words most probable, weighted by the story's size, or starts a new story
when that is more probable. In a longer text, a word that many stories share
counts less than a rare one, and the text's words together count as a dozen
independent ones at most, so that texts on one subject (a country, a leader)
do not merge unless they tell one event. Only stories sharing one of the
article's rarest words are scored (bot/curation/stories.py holds them).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

CANDIDATES = 40  # the stories sharing the most words with an article are scored
CANDIDATE_WORDS = 8  # ... counted over its rarest words
LONG = 20  # story words (a headline has 6 or so) from which a text counts as long
EVIDENCE = 12  # a text's words count as at most this many independent ones
# MStream's numbers move with the window: the odds for a new story grow with the
# articles in it, and with the words in it, words an article does not share with a
# story cost it less. On a busy window long texts split from their stories, or
# merged with stories on their subject. Beyond these sizes, the numbers stay put.
MAX_DOCUMENTS = 1000
MAX_VOCABULARY = 10_000


class Counted(Protocol):
    """What the mixture knows of a story: its articles and their words."""

    size: int  # articles
    words: int  # words, counted with repeats
    counts: Counter[str]


def sharing(holders: Sequence[Collection[int]]) -> Counter[int]:
    """How many of an article's rarest words (`holders`: the stories holding each of
    its words) each story holds. A word every story has tells nothing, and counting
    its holders would cost more than all the rest."""
    overlap: Counter[int] = Counter()
    for stories in sorted(holders, key=len)[:CANDIDATE_WORDS]:
        overlap.update(stories)
    return overlap


def by_words(
    words: Counter[str], stories: Mapping[int, Counted], by_word: Mapping[str, Collection[int]],
    documents: int, *, alpha: float, beta: float, beta_long: float,
) -> int | None:  # fmt: skip
    """The story these words fit best, or None for a new story; `by_word`: the
    stories holding each word, `documents`: the articles in the window."""
    held = {w: h for w in words if (h := by_word.get(w))}  # the stories with w
    vocabulary = min(len(by_word) + len(words) - len(held), MAX_VOCABULARY)
    documents = min(documents + 1, MAX_DOCUMENTS)
    length = sum(words.values())
    lg = math.lgamma
    # A headline needs every word it has. A longer text also carries words that
    # many stories share ("government", "tuesday"): there a word counts by how
    # few stories hold it (inverse story frequency, as in OSDM, Kumar et al.
    # 2022), the more so the longer the text. Relative to the text's other words
    # that stories hold: while the window holds few stories, they weigh alike.
    focus = min(1.0, length / LONG)
    beta = beta + (beta_long - beta) * focus
    stories_now = len(stories) + 2
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
    new = math.log(alpha * documents) + temper * new
    best, best_score = None, new
    # Only words some story holds can be in a candidate.
    shared = [(w, words[w], weight[w], unseen[w]) for w in held]
    for story_id, _ in sharing(list(held.values())).most_common(CANDIDATES):
        story = stories[story_id]
        score = base
        counts = story.counts
        for word, count, word_weight, alone in shared:
            n = counts.get(word)
            if n:
                score += word_weight * (lg(n + beta + count) - lg(n + beta) - alone)
        score -= lg(story.words + vocabulary * beta + length) - lg(story.words + vocabulary * beta)
        score = math.log(story.size) + temper * score
        if score > best_score:
            best, best_score = story_id, score
    return best
