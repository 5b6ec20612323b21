"""Article -> its topics, each with a calibrated score in [0, 1] and the evidence it
was found by. Pure.

Four kinds of evidence, each a term of a topic's log-odds:
- rule: the catalog's keyword phrases (a headline counts more than a lead, a lead
  more than the body);
- section: where the source filed it (feed category, URL path);
- meaning: how close the article's vector is to the topic's prototype (its
  descriptions in both languages, embedded once);
- profile: how close its words and meaning are to what the bot has stored under
  the topic with confidence, trusted more as the profile grows.

The broad topics (desks: world, economy, sports...) compete for an article: their
scores are a softmax, with "none of them" as one more choice. A narrower topic (a
country, a running story, football) has a score of its own, a sigmoid with a bias
that its evidence must overcome: the article must be about it, not mention it. A
narrower topic passes its score, discounted, to the broader one it is part of.

The first topic needs its threshold; a second and a third need a section hint or a
strong score too, or to be what the first is part of. Without a vector (the
embedder off or failing) the same terms are there but meaning: scores stay
probabilities, only less sure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from bot.curation.meanings import Vectors
from bot.curation.topics.document import Document
from bot.curation.topics.meaning import Prototypes
from bot.curation.topics.profiles import Profiles
from bot.curation.topics.rules import Hits, TopicRule, rules_of

LIMIT = 3  # topics an article gets at most
KINDS = ("rule", "section", "meaning", "profile")  # the terms of a score, in this order
# The evidence named is the largest term; but where the source filed it, or the
# catalog's words, come within this share of it, they are named: a reader can check
# them, and a term a hair larger is no better reason.
CHECKABLE = 0.9
_CHECKABLE_FIRST = np.array([1, 0, 2, 3])  # section, rule, meaning, profile


@dataclass(frozen=True)
class Calibration:
    """The weights of the evidence (log-odds per unit), and what a score must reach."""

    meaning: float = 20.0  # per unit of cosine above the desks' mean
    # An article's closeness to a topic: this share of its cosine with the nearest of
    # the topic's descriptions, the rest of its cosine with their mean.
    nearest: float = 0.3
    subject_meaning: float = 20.0  # per unit of cosine above the mean of all topics
    rule_headline: float = 1.2  # per log(1 + weighted hits) in headline and lead
    rule_body: float = 0.6
    section: float = 3.75
    profile_words: float = 8.0  # per unit of cosine, times the profile's trust
    profile_meaning: float = 20.0
    # A stored article's meaning: this share of its cosine with the nearest kind of the
    # topic's stored articles, the rest of its cosine with their mean.
    learned_nearest: float = 0.5
    no_desk: float = 0.5  # the log-odds of "none of the desks", against their mean
    subject_bias: float = -3.5
    subject_rule: float = 1.8  # a narrower topic's per log(1 + hits) in headline and lead
    # How far a narrower topic is weighed against the broader one it is part of,
    # rather than against all topics (1: wholly).
    against_broader: float = 0.5
    threshold: float = 0.5  # a topic's score, unless its catalog entry says otherwise
    # A second or third topic without a section hint needs this: a subject named in
    # the headline and the lead of a story about something else (Iran in a report on
    # oil prices) reaches about 0.8 on its words alone, and is not what it is about.
    strong: float = 0.9
    within: float = 0.9  # a narrower topic's score, passed on to its broader one
    confident: float = 0.6  # what files an article into the profiles
    # Without a vector, words are all there is to go by: rules and profiles weigh
    # this much more (the weights above are what they add to meaning).
    words_alone: float = 1.5


@dataclass(frozen=True)
class Weighed:
    """Every topic's score for one document, and what it rests on."""

    scores: dict[str, float]  # with what a narrower desk passed up to a broader one
    own: dict[str, float]  # from the topic's own evidence only
    evidence: dict[str, str]  # the kind of evidence that counted most
    hits: dict[str, Hits]


class Assigned(NamedTuple):
    slug: str
    score: float
    evidence: str  # rule | section | meaning | profile: the largest term of its score


class Matcher:
    def __init__(
        self, rules: Sequence[TopicRule], prototypes: Prototypes | None = None,
        *, calibration: Calibration = Calibration(),
    ) -> None:  # fmt: skip
        self.rules = list(rules)
        self.prototypes = prototypes
        self.calibration = calibration
        self._slugs = [rule.slug for rule in self.rules]
        self._index = {slug: n for n, slug in enumerate(self._slugs)}
        self.profiles = Profiles(self._slugs)
        self._rules = rules_of(tuple(self.rules))  # words alone: with the topics' places
        self._rules_with_meaning = rules_of(tuple(self.rules), places=False)
        # The rules as arrays over the topics, in the catalog's order: a narrower
        # topic's broader one (its index; its own where it has none, masked).
        self._is_desk = np.array([rule.desk for rule in self.rules], dtype=bool)
        self._has_parent = np.array([not r.desk and r.within in self._index for r in self.rules],
                                    dtype=bool)  # fmt: skip
        self._parent = np.array([self._index.get(r.within or "", n) if has else n
                                 for n, (r, has) in enumerate(zip(self.rules, self._has_parent,
                                                                  strict=True))])  # fmt: skip
        self._rule_weight = np.where(self._is_desk, calibration.rule_headline,
                                     calibration.subject_rule)  # fmt: skip
        # The prototypes, a row a topic (zeros for a topic without one), and the
        # weights that make a product with them the mean over the desks, or all topics.
        dim = 0 if prototypes is None else prototypes.matrix.shape[1]
        self._prototypes = np.zeros((len(self._slugs), dim), dtype=np.float32)
        described = np.zeros(len(self._slugs), dtype=bool)
        for slug, row in zip(prototypes.slugs if prototypes else (),
                             prototypes.matrix if prototypes else (), strict=True):  # fmt: skip
            if slug in self._index:
                self._prototypes[self._index[slug]] = row
                described[self._index[slug]] = True
        self._described = bool(described.any())
        self._by_slug = {rule.slug: rule for rule in self.rules}
        # The desks' descriptions' vectors, where each desk's begin, and its row. A
        # narrower topic (a country, a running story) is one kind of news, weighed by its
        # mean against its broader one's: its descriptions are not multiplied at all.
        self._seeds: Vectors | None = None
        self._seed_starts = np.zeros(0, dtype=int)
        self._seed_rows = np.zeros(0, dtype=int)
        if prototypes is not None and calibration.nearest > 0 and len(prototypes.seeds):
            ends = np.cumsum(prototypes.sizes)
            desks = [(n, self._index[s]) for n, s in enumerate(prototypes.slugs)
                     if s in self._index and self._by_slug[s].desk]  # fmt: skip
            if desks:
                kept = [np.arange(ends[n] - prototypes.sizes[n], ends[n]) for n, _ in desks]
                self._seeds = prototypes.seeds[np.concatenate(kept)]
                self._seed_starts = np.cumsum([0, *(len(k) for k in kept[:-1])])
                self._seed_rows = np.array([row for _, row in desks], dtype=int)
        self._all_weights = described / max(1, described.sum())
        desks_described = described & self._is_desk
        self._desk_weights = desks_described / max(1, desks_described.sum())
        self._has_parent_prototype = self._has_parent & described[self._parent]
        self._sense_weight = described * np.where(self._is_desk, calibration.meaning,
                                                  calibration.subject_meaning)  # fmt: skip
        self._desks = [rule.slug for rule in self.rules if rule.desk]
        self._desk_set = set(self._desks)
        self._subjects = [rule.slug for rule in self.rules if not rule.desk]
        # Each topic's broader ones (at any depth) and depth, worked out once.
        self._broader = {slug: self._chain(slug) for slug in self._by_slug}
        self._depths = {slug: len(chain) for slug, chain in self._broader.items()}
        self._thresholds = {slug: self._threshold(slug) for slug in self._by_slug}
        # Narrowest first, so that a score passed up the chain is passed on again.
        self._up = sorted((r for r in self.rules if r.desk and r.within in self._by_slug),
                          key=lambda r: -self._depth(r.slug))  # fmt: skip

    def learn(self, docs: Iterable[Document], *, rounds: int = 1) -> int:
        """Learns the profiles from the documents, each filed under the topics it gets
        with confidence: first by rules and meaning, then, each further round, with
        the profiles of the round before. Returns how many were filed the last round."""
        corpus = list(docs)
        claimed: list[tuple[Document, list[str]]] = []
        for _ in range(rounds):
            claimed = [(doc, sure) for doc in corpus if (sure := self.claims(doc))]
            self.profiles = Profiles.learn(claimed, self._slugs)
        return len(claimed)

    def learn_claimed(self, claimed: Iterable[tuple[Document, list[str]]]) -> int:
        """Learns the profiles from documents and the topics each was filed under
        (claims(), by a matcher that had learned nothing: what learn() does in one
        round, for a caller that remembers the claims of documents it learned from
        before). Returns how many were filed."""
        kept = [(doc, sure) for doc, sure in claimed if sure]
        self.profiles = Profiles.learn(kept, self._slugs)
        return len(kept)

    def claims(self, doc: Document) -> list[str]:
        """The topics learning files the document under: those it gets with confidence
        by its own evidence, not what a narrower topic passed up (a Middle East article
        does not teach the world's profile). Before any learning that evidence is the
        rules, sections and meaning alone: the same for the same document each time."""
        weighed = self.weigh(doc)
        return [s for s in self._choose(weighed, LIMIT)
                if weighed.own[s] >= self.calibration.confident]  # fmt: skip

    def match(self, doc: Document, *, limit: int = LIMIT) -> list[Assigned]:
        """The document's topics, best first."""
        weighed = self.weigh(doc)
        return [Assigned(s, round(weighed.scores[s], 4), weighed.evidence[s])
                for s in self._choose(weighed, limit)]  # fmt: skip

    def _choose(self, weighed: Weighed, limit: int) -> list[str]:
        scores, hits = weighed.scores, weighed.hits
        # The desk it is filed under first, then the rest by score.
        threshold, depth = self._thresholds, self._depths
        ranked = sorted(scores, key=lambda s: (-scores[s], -depth[s]))
        desks = [s for s in ranked if s in self._desk_set and scores[s] >= threshold[s]]
        if desks:
            first, passed = self._filed_under(desks[0], weighed)
            # What its subject passes up to it: the score it is filed with.
            scores[first] = max(scores[first], passed)
            ranked.remove(first)
            ranked.insert(0, first)
        chosen: list[str] = []
        comes_with: set[str] = set()  # what a chosen desk is part of
        for slug in ranked:
            # What a chosen desk is part of (the Middle East in the world) comes with it.
            if len(chosen) == limit:
                break
            part_of_chosen = slug in comes_with
            if scores[slug] < threshold[slug] and not part_of_chosen:
                continue
            filed = slug in hits and hits[slug].section
            # A part of the first desk that its headline and lead name more than the
            # desk's own words (a pipeline's gas exports, in the economy) says what
            # kind of its news this is: not a mention of something else.
            refines = (bool(chosen) and self._by_slug[slug].within == chosen[0]
                       and slug in hits and chosen[0] in hits
                       and hits[slug].headline > hits[chosen[0]].headline)  # fmt: skip
            if chosen and not (filed or part_of_chosen or refines
                               or scores[slug] >= self.calibration.strong):  # fmt: skip
                continue
            chosen.append(slug)
            if slug in self._desk_set:
                comes_with.update(self._broader[slug])
        return chosen

    def _filed_under(self, desk: str, weighed: Weighed) -> tuple[str, float]:
        """The desk an article is filed under first: the best desk, or a narrower desk
        within it that a topic the article is strongly about is part of (a report on
        Syria's war is Middle East news before it is world news), with the score that
        topic passes up to it. Where the source filed it (a section hint) stands."""
        scores = weighed.scores
        if self._filed(desk, weighed):
            return desk, scores[desk]
        narrower = [
            (self.calibration.within * scores[slug], parent)
            for slug in self._subjects
            if scores.get(slug, 0.0) >= max(self._threshold(slug), self.calibration.strong)
            and (parent := self._by_slug[slug].within) in self._desk_set
            and desk in self._broader[parent]
        ]
        if not narrower:
            return desk, scores[desk]
        passed, parent = max(narrower)
        return parent, passed

    @staticmethod
    def _filed(slug: str, weighed: Weighed) -> bool:
        return slug in weighed.hits and weighed.hits[slug].section

    def weigh(self, doc: Document) -> Weighed:
        """Every topic's score, and what it rests on. Each kind of evidence is one
        array over the topics (in the catalog's order), and the means it is weighed
        against are products with weights worked out once: an article costs a few
        array operations, not a loop over the topics."""
        cal = self.calibration
        vector = doc.vector
        meant = (vector is not None and vector.shape == (self._prototypes.shape[1],)
                 and self._described)  # fmt: skip
        hits, excluded = (self._rules_with_meaning if meant else self._rules).find(doc)
        n = len(self._slugs)
        head, body, filed = np.zeros(n), np.zeros(n), np.zeros(n)
        for slug, found in hits.items():
            i = self._index[slug]
            head[i], body[i], filed[i] = found.headline, found.body, found.section
        profiles = self.profiles
        words = profiles.word_similarity(doc)
        parent, has_parent = self._parent, self._has_parent
        # A desk against the other desks; a narrower topic against the broader one it
        # is part of: a cricket report is sport, and no closer to football.
        sense = np.zeros(n)
        if meant and vector is not None:
            meaning = (self._prototypes @ vector).astype(np.float64)
            all_mean = float(meaning @ self._all_weights)
            above = np.maximum(meaning[parent] - all_mean, 0.0) * self._has_parent_prototype
            base = all_mean + cal.against_broader * above
            base += self._is_desk * (float(meaning @ self._desk_weights) - all_mean)
            sense = self._sense_weight * (meaning - base)
            if self._seeds is not None:
                # A desk against the other desks, each by its nearest headline as well.
                nearest = np.maximum.reduceat(self._seeds @ vector, self._seed_starts)
                rows = self._seed_rows
                blended = meaning.copy()
                blended[rows] = ((1 - cal.nearest) * meaning[rows]
                                 + cal.nearest * nearest.astype(np.float64))  # fmt: skip
                desk_mean = float(blended @ self._desk_weights)
                sense[rows] = self._sense_weight[rows] * (blended[rows] - desk_mean)
            alone = 1.0
        else:
            alone = cal.words_alone
        profile = cal.profile_words * (words - cal.against_broader * words[parent] * has_parent)
        learned = profiles.vector_similarity(vector, nearest=cal.learned_nearest)
        if learned is not None:
            learned_mean = float(learned @ profiles.mean_weights)
            learned_base = learned_mean + cal.against_broader * np.maximum(
                (learned[parent] - learned_mean) * (has_parent & profiles.has_meaning[parent]),
                0.0)  # fmt: skip
            profile += cal.profile_meaning * profiles.has_meaning * (learned - learned_base)
        terms = np.vstack((
            alone * (self._rule_weight * np.log1p(head) + cal.rule_body * np.log1p(body)),
            cal.section * filed,
            sense,
            alone * profiles.trust() * profile,
        ))  # fmt: skip
        total = terms.sum(axis=0)
        desks, subjects = self._is_desk, ~self._is_desk
        if excluded:
            kept = np.array([slug not in excluded for slug in self._slugs], dtype=bool)
            desks, subjects = desks & kept, subjects & kept
        probability = np.zeros(n)
        if desks.any():
            top = max(float(total[desks].max()), cal.no_desk)
            odds = np.exp(total[desks] - top)
            probability[desks] = odds / (math.exp(cal.no_desk - top) + odds.sum())
        # The exponent is capped: a score that far below is nought either way.
        logit = np.minimum(-(total[subjects] + cal.subject_bias), 60.0)
        probability[subjects] = 1 / (1 + np.exp(logit))
        largest = terms.max(axis=0)
        near = (terms >= CHECKABLE * largest) & (largest > 0)
        near[terms.argmax(axis=0), np.arange(n)] = True
        strongest = _CHECKABLE_FIRST[near[_CHECKABLE_FIRST].argmax(axis=0)].tolist()
        scores = dict(zip(self._slugs, probability.tolist(), strict=True))
        evidence = {slug: KINDS[k] for slug, k in zip(self._slugs, strongest, strict=True)}
        for slug in excluded:
            del scores[slug], evidence[slug]
        own = dict(scores)
        for rule in self._up:
            if rule.slug in scores and rule.within in scores:
                passed = cal.within * scores[rule.slug]
                scores[rule.within] = max(scores[rule.within], passed)
        return Weighed(scores, own, evidence, hits)

    def _threshold(self, slug: str) -> float:
        own = self._by_slug[slug].threshold
        return self.calibration.threshold if own is None else own

    def _chain(self, slug: str) -> tuple[str, ...]:
        """The topics `slug` is within, broader and broader."""
        chain: list[str] = []
        parent = self._by_slug[slug].within
        while parent is not None and parent in self._by_slug and parent not in chain:
            chain.append(parent)
            parent = self._by_slug[parent].within
        return tuple(chain)

    def _depth(self, slug: str) -> int:
        return len(self._broader[slug])
