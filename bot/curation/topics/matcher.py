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

from bot.curation.topics.document import Document
from bot.curation.topics.meaning import Prototypes
from bot.curation.topics.profiles import Profiles
from bot.curation.topics.rules import Hits, Rules, TopicRule

LIMIT = 3  # topics an article gets at most


@dataclass(frozen=True)
class Calibration:
    """The weights of the evidence (log-odds per unit), and what a score must reach."""

    meaning: float = 20.0  # per unit of cosine above the desks' mean
    subject_meaning: float = 20.0  # per unit of cosine above the mean of all topics
    rule_headline: float = 1.2  # per log(1 + weighted hits) in headline and lead
    rule_body: float = 0.6
    section: float = 3.75
    profile_words: float = 8.0  # per unit of cosine, times the profile's trust
    profile_meaning: float = 20.0
    no_desk: float = 0.5  # the log-odds of "none of the desks", against their mean
    subject_bias: float = -3.5
    subject_rule: float = 1.8  # a narrower topic's per log(1 + hits) in headline and lead
    # How far a narrower topic is weighed against the broader one it is part of,
    # rather than against all topics (1: wholly).
    against_broader: float = 0.5
    threshold: float = 0.5  # a topic's score, unless its catalog entry says otherwise
    strong: float = 0.75  # a second or third topic without a section hint needs this
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
        self.profiles = Profiles()
        self._rules = Rules(self.rules)
        self._by_slug = {rule.slug: rule for rule in self.rules}
        self._desks = [rule.slug for rule in self.rules if rule.desk]
        self._desk_set = set(self._desks)
        self._subjects = [rule.slug for rule in self.rules if not rule.desk]
        # Each topic's broader ones (at any depth) and depth, worked out once.
        self._broader = {slug: self._chain(slug) for slug in self._by_slug}
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
            claimed = []
            for doc in corpus:
                weighed = self.weigh(doc)
                # Its own evidence, not what a narrower topic passed up: a Middle East
                # article does not teach the world's profile.
                sure = [s for s in self._choose(weighed, LIMIT)
                        if weighed.own[s] >= self.calibration.confident]  # fmt: skip
                if sure:
                    claimed.append((doc, sure))
            self.profiles = Profiles.learn(claimed)
        return len(claimed)

    def match(self, doc: Document, *, limit: int = LIMIT) -> list[Assigned]:
        """The document's topics, best first."""
        weighed = self.weigh(doc)
        return [Assigned(s, round(weighed.scores[s], 4), weighed.evidence[s])
                for s in self._choose(weighed, limit)]  # fmt: skip

    def _choose(self, weighed: Weighed, limit: int) -> list[str]:
        scores, hits = weighed.scores, weighed.hits
        # The desk it is filed under first, then the rest by score.
        ranked = sorted(scores, key=lambda s: (-scores[s], -self._depth(s)))
        desks = [s for s in ranked if s in self._desk_set and scores[s] >= self._threshold(s)]
        if desks:
            first, passed = self._filed_under(desks[0], weighed)
            # What its subject passes up to it: the score it is filed with.
            scores[first] = max(scores[first], passed)
            ranked.remove(first)
            ranked.insert(0, first)
        chosen: list[str] = []
        for slug in ranked:
            # What a chosen desk is part of (the Middle East in the world) comes with it.
            if len(chosen) == limit:
                break
            part_of_chosen = any(c in self._desk_set and slug in self._broader[c] for c in chosen)
            if scores[slug] < self._threshold(slug) and not part_of_chosen:
                continue
            filed = slug in hits and hits[slug].section
            if chosen and not (filed or part_of_chosen or scores[slug] >= self.calibration.strong):
                continue
            chosen.append(slug)
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
        """Every topic's score, and what it rests on."""
        cal = self.calibration
        hits, excluded = self._rules.find(doc)
        meaning = (self.prototypes.similarity(doc.vector)
                   if self.prototypes is not None and doc.vector is not None else {})  # fmt: skip
        words = self.profiles.word_similarity(doc)
        learned = self.profiles.vector_similarity(doc.vector)
        terms: dict[str, dict[str, float]] = {}
        alone = 1.0 if meaning else cal.words_alone
        desk_mean = _mean(meaning, self._desks)
        all_mean = _mean(meaning, self._by_slug)
        learned_mean = _mean(learned, self._by_slug)
        for slug, rule in self._by_slug.items():
            if slug in excluded:
                continue
            found = hits.get(slug, Hits())
            # A desk against the other desks; a narrower topic against the broader one
            # it is part of: a cricket report is sport, and no closer to football.
            parent = rule.within if not rule.desk else None
            if rule.desk:
                sense = cal.meaning * (meaning[slug] - desk_mean) if slug in meaning else 0.0
                learned_words = words.get(slug, 0.0)
            else:
                broader = max(0.0, meaning.get(parent or "", all_mean) - all_mean)
                base = all_mean + cal.against_broader * broader
                sense = cal.subject_meaning * (meaning[slug] - base) if slug in meaning else 0.0
                learned_words = words.get(slug, 0.0) - cal.against_broader * words.get(
                    parent or "", 0.0
                )
            learned_base = learned_mean + cal.against_broader * max(
                0.0, learned.get(parent or "", learned_mean) - learned_mean
            )
            terms[slug] = {
                "rule": alone
                * (
                    (cal.rule_headline if rule.desk else cal.subject_rule)
                    * math.log1p(found.headline)
                    + cal.rule_body * math.log1p(found.body)
                ),
                "section": cal.section if found.section else 0.0,
                "meaning": sense,
                "profile": alone
                * self.profiles.trust(slug)
                * (
                    cal.profile_words * learned_words
                    + cal.profile_meaning * (learned.get(slug, learned_base) - learned_base)
                ),
            }
        scores: dict[str, float] = {}
        desks = {s: sum(terms[s].values()) for s in self._desks if s in terms}
        if desks:
            top = max(max(desks.values()), cal.no_desk)
            total = math.exp(cal.no_desk - top) + sum(math.exp(v - top) for v in desks.values())
            scores.update({s: math.exp(v - top) / total for s, v in desks.items()})
        for slug in self._subjects:
            if slug in terms:
                scores[slug] = _sigmoid(sum(terms[slug].values()) + cal.subject_bias)
        own = dict(scores)
        for rule in self._up:
            if rule.slug in scores and rule.within in scores:
                passed = cal.within * scores[rule.slug]
                scores[rule.within] = max(scores[rule.within], passed)
        evidence = {s: max(t, key=lambda kind: t[kind]) for s, t in terms.items()}
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


def _mean(values: dict[str, float], slugs: Iterable[str]) -> float:
    known = [values[s] for s in slugs if s in values]
    return sum(known) / len(known) if known else 0.0


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -60 else 0.0
