"""Curator: what a newly stored article goes through: summary, story, copies, topics.

The one place where the curation stages meet storage; the stages themselves
(summarize, stories, topics) are pure. Used by the pipeline and by
`newsbot curate`, so both run the same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from bot.catalog import load_topic_rules
from bot.curation.copies import sketch
from bot.curation.embed import Embedder, pack, unpack
from bot.curation.meanings import Vectors
from bot.curation.specifics import specifics
from bot.curation.stories import StoryIndex
from bot.curation.story_words import key_terms, placing_words, story_words
from bot.curation.summarize import Sentences, sentences_of, summarize
from bot.curation.topics import (
    WORDS_READ,
    Assigned,
    Document,
    Matcher,
    Prototypes,
    TopicRule,
    descriptions,
)
from bot.language import clip, detect_language, stems
from storage import articles as article_store
from storage import stories as story_store
from storage import topics as topic_store
from storage.db import session, unless_committed
from storage.models import Article

STORY_WINDOW = dt.timedelta(hours=72)
LEARN_FROM = 5000  # stored articles the topic profiles are learned from
LEARN_CHARS = 4000  # of each one's text
# The sentences of this many of the articles curated last are kept, so that learning
# from them does not stem them again (half the cost of learning from an article).
KEEP_STEMMED = 1000
# They are learned again after this many new articles, and this long: learning takes
# about a second, and a busy poll stores a thousand articles in seconds.
RELEARN_EVERY = 1000
RELEARN_AFTER = dt.timedelta(minutes=15)
# A young archive is learned from again each time it has doubled, from this many on:
# the first articles after install count most.
RELEARN_FIRST = 50
# Stored articles given search terms at a poll tick, when a migration blanked them:
# about a second's work, so that a large archive is done over a few minutes of ticks.
FILL_SEARCH_TERMS = 2000
MAX_SUMMARY = 1000  # characters; a summary is two or three sentences


class Curator:
    def __init__(
        self, engine: Engine, topics_path: Path,
        *, clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        relearn_every: int = RELEARN_EVERY, relearn_after: dt.timedelta = RELEARN_AFTER,
        embedder_name: str = "off",
    ) -> None:  # fmt: skip
        self.engine = engine
        # Vectors made by this embedder are compared (embed.py); others are left aside.
        self.embedder_name = embedder_name
        self.topics_path = topics_path
        self.clock = clock
        self.relearn_every = relearn_every
        self.relearn_after = relearn_after
        self._stories: StoryIndex | None = None
        self._top = 0  # the highest article id the story index has taken in or passed
        # The unit of work that took the right to place and looked last (_catch_up).
        self._looked_in: SessionTransaction | None = None
        self._matcher: Matcher | None = None
        self._prototypes: Prototypes | None = None  # what topics mean, see embed_topics()
        self._rules: list[TopicRule] | None = None  # see rules()
        self._learned_from = 0
        self._since_learning = 0
        self._learned_at = dt.datetime.min.replace(tzinfo=dt.UTC)
        self._topic_ids: dict[str, int] | None = None
        # The sentences of the articles curated last, by their first LEARN_CHARS: what
        # learning reads of them (see _keep_stemmed).
        self._stemmed: dict[str, Sentences] = {}
        self._search_terms_done = False  # see fill_search_terms()
        # The topics each article learned from was filed under (Matcher.claims), by
        # learning_key: a fresh matcher files the same article the same way, so that a
        # relearning weighs only the articles that came since (most of its cost).
        self._claims: dict[bytes, list[str]] = {}
        # The articles the story index holds without this embedder's vector (article ->
        # story): embedded later, here or by another process (learn_stored_meanings).
        self._unmeant: dict[int, int] = {}

    def store(
        self, draft: Article, *, now: dt.datetime, categories: tuple[str, ...] = (),
        session: Session,
    ) -> tuple[Article, list[Assigned] | None]:  # fmt: skip
        """Stores an article just read: a new one curated first, so that one INSERT
        carries it whole; a known one (same address, guid or text) updated. Returns
        the stored row and the new article's topics (None for a known one)."""
        existing = article_store.duplicate_of(draft, session=session)
        if existing is not None:
            article_store.merge(existing, draft, session=session)
            return existing, None
        return draft, self._curate(draft, now=now, categories=categories, session=session)

    def _curate(
        self, article: Article, *, now: dt.datetime, categories: tuple[str, ...] = (),
        session: Session,
    ) -> list[Assigned]:  # fmt: skip
        """Summary, story (or a new one), copy_of and topics of a new article, which
        is then stored (store() has checked it is new); returns its topics."""
        assert article.id is None, "_curate() stores the article: give it a new one"
        language = article.language or detect_language(article.text or article.title)
        article.language = language
        split: Sentences | None = None  # the text's sentences and stems, if summarized
        if not article.summary:  # an abstractive one may have come with the article
            split = sentences_of(article.text)
            summary = summarize(article.text, title=article.title, language=language,
                                split=split)  # fmt: skip
            article.summary = summary or None
            self._keep_stemmed(article.text, split)
        if article.summary and len(article.summary) > MAX_SUMMARY:  # one endless sentence
            article.summary = clip(article.summary, MAX_SUMMARY)
        article.search_terms = search_terms(article.title, article.lead, article.text,
                                            split=split)  # fmt: skip
        article.related = _marked_on_topic(article)
        meaning = self.meaning_of(article)  # unpacked once: the matcher and the story read it
        topics = self.matcher().match(document(article, categories, meaning, split=split))
        self._place(article, now, session, meaning, split)  # stores it
        assert article.id is not None
        if self._topic_ids is None:
            self._topic_ids = topic_store.ids_by_slug(session=session)
        topic_store.add_for_article(article.id, [(t.slug, t.score) for t in topics],
                                    ids=self._topic_ids, session=session)  # fmt: skip
        self._since_learning += 1
        return topics

    def expire(self) -> None:
        self.story_index().expire(self.clock())

    def fill_search_terms(self, limit: int = FILL_SEARCH_TERMS) -> int:
        """Works out the search terms of up to `limit` stored articles that have none
        (blanked by a migration when stems change); returns how many. Once none is
        left it looks no more: new articles come with theirs, and a migration runs
        before the bot starts."""
        if self._search_terms_done:
            return 0
        with session(self.engine) as db:
            missing = article_store.without_search_terms(limit, session=db)
            article_store.set_search_terms(
                {i: search_terms(title, lead, text) for i, title, lead, text in missing},
                session=db,
            )
        self._search_terms_done = len(missing) < limit
        return len(missing)

    def prepare(self) -> None:
        """Loads now what curation keeps in memory: the recent stories, and the topic
        profiles (learned again from time to time, see matcher()). Each takes
        seconds on a large archive; a caller can do this in a thread, before curating."""
        self.story_index()
        self.matcher()

    def story_index(self) -> StoryIndex:
        """The recent stories, rebuilt from storage the first time they are needed."""
        if self._stories is None:
            index = StoryIndex(window=STORY_WINDOW)
            since = self.clock() - STORY_WINDOW
            self._unmeant = {}
            with session(self.engine) as db:
                # Taken first: what is placed while the window is read is caught up later.
                top = story_store.highest_article(session=db)
                taken = [self._take(index, row)
                         for row in story_store.recent_articles(since, session=db)]  # fmt: skip
                for story_id, source_id in story_store.sources_of_recent(since, session=db):
                    index.add_source(story_id, source_id)
            self._stories, self._top = index, max([top, *taken])
        return self._stories

    def _catch_up(self, db: Session) -> StoryIndex:
        """The story index, with what other processes on the database (`newsbot run`s
        sharing the sources) placed since it last looked: so that a report polled here
        joins the story of one that another process stored a moment ago.

        Placing is one process at a time, from this look to the end of `db`
        (storage.stories.lock_placing): two reports of one event stored at once by two
        processes would otherwise each start a story, unseen by the other. So the ids
        placed become visible in order, on PostgreSQL too, whose ids are handed out
        before their transactions commit, and the look is for ids above the highest
        one seen: one query of the primary key.

        A unit of work that looked already (`newsbot curate` places a batch of
        articles in one) holds the right since then: nobody else has placed, and
        neither the lock nor the look is asked for again (two statements an article)."""
        index = self.story_index()
        if self._looked_in is not None and self._looked_in is _unit_of_work(db):
            return index
        story_store.lock_placing(session=db)
        last = story_store.last_placed(after=self._top, session=db)
        if last is not None:  # a range, however long this process had nothing to place
            since = self.clock() - STORY_WINDOW
            for row in story_store.recent_articles(since, after=self._top, session=db):
                self._take(index, row)
            self._top = last  # out of the window or not: looked at
        self._looked_in = _unit_of_work(db)
        return index

    def _forget_stories(self) -> None:
        """An article's unit of work failed after it was placed: storage has neither
        the article nor the story it may have started, and SQLite hands their ids out
        again. The index is read again from storage when next needed."""
        self._stories, self._top, self._unmeant = None, 0, {}

    def _take(self, index: StoryIndex, row: story_store.RecentArticle) -> int:
        """Adds a stored article to the index, as it was placed; returns its id."""
        meaning = self.meaning_of(row)
        words = placing_words(row.title, row.lead, row.text, meant=meaning is not None)
        index.add(row.story_id, row.id, words, row.fetched_at, sketch(row.text),
                  source_id=row.source_id, headline=story_words(row.headline, ""),
                  vector=meaning, language=row.language,
                  told=specifics(row.title, row.lead or row.text))  # fmt: skip
        self._held_without(meaning, row.id, row.story_id)
        return row.id

    def _held_without(self, meaning: Vectors | None, article_id: int, story_id: int) -> None:
        """Notes an article the index took in without a meaning, to learn it later."""
        if meaning is None and self.embedder_name != "off":
            self._unmeant[article_id] = story_id

    def matcher(self) -> Matcher:
        """The topic matcher: the catalog's rules, and profiles learned from the
        recent stored articles: again once `relearn_every` new articles have come and
        `relearn_after` has passed since the last time."""
        now = self.clock()
        enough = min(self.relearn_every, max(RELEARN_FIRST, self._learned_from))
        due = self._since_learning >= enough and now - self._learned_at >= self.relearn_after
        if self._matcher is None or due:
            matcher = Matcher(self.rules(), self._prototypes)
            with session(self.engine) as db:
                recent = article_store.latest_texts(LEARN_FROM, chars=LEARN_CHARS, session=db)
            claims: dict[bytes, list[str]] = {}
            claimed = []
            for a in recent:
                doc = document(a, vector=self.meaning_of(a), split=self._stemmed.get(a.text))
                key = learning_key(a)
                if key not in claims:
                    known = self._claims.get(key)
                    claims[key] = matcher.claims(doc) if known is None else known
                claimed.append((doc, claims[key]))
            matcher.learn_claimed(claimed)
            # Only what the next learning may read again is kept.
            self._claims = claims
            self._matcher, self._since_learning, self._learned_at = matcher, 0, now
            self._learned_from = len(recent)
        return self._matcher

    def _keep_stemmed(self, text: str, split: Sentences) -> None:
        """Keeps the text's sentences for learning, which reads its first LEARN_CHARS
        characters: their stems are those of the words topics read of it, unless the
        cut falls among those words."""
        cut = text[:LEARN_CHARS]
        if len(text) > LEARN_CHARS and len(cut.split()) <= WORDS_READ:
            return
        if len(self._stemmed) >= KEEP_STEMMED:
            del self._stemmed[next(iter(self._stemmed))]  # the oldest goes
        self._stemmed[cut] = split

    def rules(self) -> list[TopicRule]:
        """The catalog's topic rules, read once: the catalog is synced to storage at start
        (topic ids are kept by slug), so a relearn must not pick up an edited file; and
        reading it again cost each relearn a tenth of a second."""
        if self._rules is None:
            self._rules = load_topic_rules(self.topics_path)
        return self._rules

    async def embed_topics(self, embedder: Embedder) -> bool:
        """Embeds the topics' descriptions once, with the embedder whose vectors the
        articles carry (the pipeline's, made at ingest): the topics' prototypes, so
        that an article's meaning counts towards its topics. False while it is off or
        failing (topics go on from rules, sections and profiles): call again later.
        The profiles are learned again with the prototypes."""
        if self._prototypes is not None:
            return True
        if embedder.name == "off" or embedder.name != self.embedder_name:
            return False
        rules = self.rules()
        vectors = await embedder.embed(descriptions(rules))
        if vectors is None:
            return False
        self._prototypes = Prototypes.build(embedder.name, rules, vectors)
        self._matcher = None
        self._claims = {}  # meaning counts now: claims are weighed again
        return True

    def _place(
        self, article: Article, now: dt.datetime, db: Session, meaning: Vectors | None,
        split: Sentences | None = None,
    ) -> None:  # fmt: skip
        """Puts the article (which means `meaning`, see meaning_of) in the story of the
        same event, or starts one, and stores the article with its story (`split`: its
        text's sentences, if summarized)."""
        index = self._catch_up(db)
        opening = article.lead or article.text
        words = placing_words(article.title, article.lead, article.text,
                              meant=meaning is not None, split=split)  # fmt: skip
        fingerprint = sketch(article.text)
        told = specifics(article.title, opening)
        placement = index.place(words, fingerprint, vector=meaning, language=article.language,
                                when=now, told=told)  # fmt: skip
        title_words = story_words(article.title, "")
        # What the story needs to know (its sources, its headline) is in the index: no
        # read of the story's row, and one statement to start or update it.
        if placement.story is None:
            story_id = story_store.start(article.title, when=now, terms=key_terms(words),
                                         vector=article.vector if meaning is not None else None,
                                         session=db)  # fmt: skip
            index_headline: Counter[str] | None = title_words
        else:
            story_id = placement.story
            new_source = not index.has_source(story_id, article.source_id)
            better = placement.copy_of is None and index.better_headline(story_id, title_words)
            headline = article.title if better else None
            index_headline = title_words if better else None
        article.copy_of_id = placement.copy_of
        article.story_id = story_id
        article_id = article_store.add(article, session=db)
        # From here the index holds what only this unit of work has stored.
        unless_committed(db, self, self._forget_stories)
        self._top = article_id  # the highest: placing is one at a time (_catch_up)
        index.add(story_id, article_id, words, now, fingerprint, source_id=article.source_id,
                  headline=index_headline, vector=meaning, language=article.language,
                  told=told)  # fmt: skip
        self._held_without(meaning, article_id, story_id)
        if placement.story is not None:
            story_meaning = index.meaning(story_id) if meaning is not None else None
            story_store.attach(story_id, when=now, new_source=new_source,
                               headline=headline, terms=index.terms(story_id),
                               vector=None if story_meaning is None else pack(story_meaning),
                               session=db)  # fmt: skip

    def learn_meanings(self, articles: list[article_store.Unembedded], vectors: Vectors) -> None:
        """Stores the vectors of articles that had none, and their stories learn them."""
        packed = {a.id: pack(v) for a, v in zip(articles, vectors, strict=True)}
        index = self.story_index()
        with session(self.engine) as db:
            article_store.set_vectors(packed, self.embedder_name, session=db)
            # Only what the index took in without one: an article it has not taken yet
            # is taken later with the vector stored now, and must not count twice.
            learned = {story for a, v in zip(articles, vectors, strict=True)
                       if (story := self._learn(index, a.id, v)) is not None}  # fmt: skip
            meanings = {s: index.meaning(s) for s in learned}
            story_store.set_vectors({s: pack(m) for s, m in meanings.items() if m is not None},
                                    session=db)  # fmt: skip

    def learn_stored_meanings(self) -> int:
        """The vectors stored since the index took their articles in without one (by
        another process on the database, whose embedder answered first; or by this one
        before a rebuild): their stories learn them, so that a report in another
        language placed here can join them. Returns how many were learned."""
        index = self._stories
        if index is None or not self._unmeant:
            return 0
        since = self.clock() - STORY_WINDOW
        with session(self.engine) as db:
            stored = article_store.vectors_of(self._unmeant, self.embedder_name, since,
                                              session=db)  # fmt: skip
        learned = 0
        for article_id in list(self._unmeant):
            if article_id not in stored:  # out of the window, or deleted
                del self._unmeant[article_id]
            elif (vector := stored[article_id]) is not None:
                self._learn(index, article_id, unpack(vector))
                learned += 1
        return learned

    def _learn(self, index: StoryIndex, article_id: int, vector: Vectors) -> int | None:
        """The story of an article held without a meaning learns its vector; returns the
        story, or None when the index does not hold the article so."""
        story_id = self._unmeant.pop(article_id, None)
        if story_id is not None:
            index.learn_meaning(story_id, vector)
        return story_id

    def meaning_of(
        self, article: Article | story_store.RecentArticle | article_store.ArticleText
    ) -> Vectors | None:
        """The article's vector, if the embedder in use made it."""
        if article.vector is None or article.vector_model != self.embedder_name:
            return None
        return unpack(article.vector)


def _unit_of_work(db: Session) -> SessionTransaction | None:
    """The session's innermost transaction: a savepoint rolled back may have let go of
    what was taken inside it (PostgreSQL's lock), a new one is another unit of work."""
    return db.get_nested_transaction() or db.get_transaction()


def learning_key(article: article_store.ArticleText) -> bytes:
    """A digest of all that learning reads of a stored article (a re-seen article
    may have changed, a vector come later): the same key, the same claims."""
    digest = hashlib.blake2b(digest_size=16)
    parts = (article.title, article.lead or "", article.text, article.url,
             *article.tags, article.vector_model or "")  # fmt: skip
    for part in (*(p.encode() for p in parts), article.vector or b""):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


SEARCH_CHARS = 4000  # of the text, that /search looks in


def search_terms(title: str, lead: str | None, text: str, *, split: Sentences | None = None) -> str:
    """The stems /search looks in: headline, lead and the text's beginning. Padded with
    spaces, so that a whole term can be found with LIKE on other databases. `split`:
    sentences_of(text), whose stems are the text's when all of it is read (a text cut
    at SEARCH_CHARS is stemmed again: the cut may fall inside a word)."""
    if split is not None and len(text) <= SEARCH_CHARS:
        # Words never span the spaces between the parts: their stems, one after another.
        found = stems(title) + stems(lead or "") + split.stems_of_text()
    else:
        found = stems(f"{title} {lead or ''} {text[:SEARCH_CHARS]}")
    return " " + " ".join(found) + " "


def _marked_on_topic(article: Article) -> list[dict[str, object]]:
    """The page's related links, each marked on_topic when its headline shares a key
    word with the article's headline or lead."""
    if not article.related:
        return []
    own = set(stems(f"{article.title} {article.lead or ''}"))
    return [
        {**link, "on_topic": bool(own & set(stems(str(link.get("title", "")))))}
        for link in article.related
    ]


def document(
    article: Article | article_store.ArticleText, categories: tuple[str, ...] = (),
    vector: Vectors | None = None, *, split: Sentences | None = None,
) -> Document:  # fmt: skip
    """The article as topics read it, with what it means (Curator.meaning_of); `split`:
    sentences_of(article.text), whose stems the body's are."""
    return Document(title=article.title, lead=article.lead or "", body=article.text,
                    url=article.url, categories=categories or tuple(article.tags), vector=vector,
                    body_stems=None if split is None else split.stems_of_words)  # fmt: skip
