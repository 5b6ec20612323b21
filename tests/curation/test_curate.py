"""The Curator: what a new article goes through before its one INSERT."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.catalog import load_topics
from bot.config import Settings
from bot.curation.curate import (
    LEARN_CHARS,
    RELEARN_FIRST,
    SEARCH_CHARS,
    Curator,
    document,
    search_terms,
)
from bot.curation.embed import RETRY_SECONDS, Endpoint, make_embedder, pack
from bot.curation.summarize import sentences_of
from bot.curation.topics import Matcher
from bot.curation.topics.document import BODY_WORDS, LEAD_WORDS, WORDS_READ, Document
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.language import stems
from bot.loopback.embeddings_api import FakeEmbeddingsAPI
from bot.loopback.news_site import NewsSite
from storage import articles as article_store
from storage import search
from storage import topics as topic_store
from storage.db import make_engine, session, upgrade
from storage.models import Article, Source
from tests.conftest import make_settings
from tests.curation.test_summarize import AWKWARD
from tests.ingest.sample_site import article_page, rss
from tests.ingest.test_pipeline import add_source

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def test_topic_profiles_are_learned_again_after_enough_articles_and_time(
    engine: Engine, settings: Settings
) -> None:
    clock = [NOW]
    curator = Curator(engine, settings.topics_path, clock=lambda: clock[0], relearn_every=2,
                      relearn_after=dt.timedelta(minutes=15))  # fmt: skip
    source_id = add_source(engine, "Nile Post", "https://nile.example/feed.xml")

    def store(n: int) -> None:
        with session(engine) as db:
            draft = Article(source_id=source_id, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=f"Dam talks, day {n}",
                            text="Talks on the Nile dam resumed.", fetched_at=clock[0])  # fmt: skip
            curator.store(draft, now=clock[0], session=db)

    first = curator.matcher()
    store(1)
    store(2)
    assert curator.matcher() is first, "enough articles, but only seconds later"
    clock[0] += dt.timedelta(minutes=15)
    second = curator.matcher()
    assert second is not first, "enough articles, and long enough"
    store(3)
    clock[0] += dt.timedelta(hours=2)
    assert curator.matcher() is second, "long enough, but one article"


def test_topic_rules_are_read_once_and_kept_through_relearning(
    engine: Engine, tmp_path: Path
) -> None:
    # The catalog was synced to storage at start; a relearn reads the rules it was
    # started with, not the file again (nor a file edited since: its ids are not stored).
    catalog = tmp_path / "topics.toml"
    catalog.write_bytes(make_settings(tmp_path).topics_path.read_bytes())
    curator = Curator(engine, catalog, relearn_every=1, relearn_after=dt.timedelta(0))
    first = curator.matcher()
    catalog.unlink()
    curator._since_learning = RELEARN_FIRST  # as if enough articles had come
    again = curator.matcher()
    assert again is not first, "learned again"
    assert again.rules == first.rules
    assert again._rules is first._rules, "their keywords indexed once, not at each relearning"


def test_blank_search_terms_are_filled_in_batches_until_none_is_left(
    engine: Engine, settings: Settings
) -> None:
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW)
    with session(engine) as db:
        source = Source(name="Nile Post", url="https://nile.example/feed.xml")
        db.add(source)
        db.flush()
        assert source.id is not None
        ids = []
        for n in range(3):
            draft = Article(source_id=source.id, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=f"بريطانيا {n}",
                            text="Talks resumed.", fetched_at=NOW)  # fmt: skip
            article, _ = curator.store(draft, now=NOW, session=db)
            assert article.id is not None
            ids.append(article.id)
    with session(engine) as db:
        assert article_store.without_search_terms(10, session=db) == []
        article_store.set_search_terms(dict.fromkeys(ids, ""), session=db)
    assert [curator.fill_search_terms(limit=2) for _ in range(3)] == [2, 1, 0]
    with session(engine) as db:
        assert article_store.without_search_terms(10, session=db) == []
        assert len(search.search(stems("البريطانية"), session=db)) >= 1
        article_store.set_search_terms({ids[0]: ""}, session=db)
    assert curator.fill_search_terms() == 0, "none was left: it looks no more"


def test_an_old_databases_search_finds_by_the_new_stems_after_the_upgrade(
    tmp_path: Path, settings: Settings
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0014")
    with session(engine) as old:
        source = Source(name="Nile Post", url="https://nile.example/feed.xml")
        old.add(source)
        old.flush()
        assert source.id is not None
        # Its terms as the stems of then made them: للبنان as بنان.
        old.add(Article(source_id=source.id, url="https://nile.example/1",
                        url_key="nile.example/1", title="مساعدات للبنان", text="",
                        search_terms=" مساعد بنان ", fetched_at=NOW))  # fmt: skip
    upgrade(engine)
    Curator(engine, settings.topics_path, clock=lambda: NOW).fill_search_terms()
    with session(engine) as new:
        assert [a.title for a in search.search(stems("لبنان"), session=new)] == ["مساعدات للبنان"]
    engine.dispose()


def test_a_young_archive_is_learned_from_again_each_time_it_doubles(
    engine: Engine, settings: Settings
) -> None:
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW,
                      relearn_after=dt.timedelta(0))  # fmt: skip
    source_id = add_source(engine, "Nile Post", "https://nile.example/feed.xml")
    learned = [curator.matcher()]
    for n in range(1, RELEARN_FIRST * 3 + 1):
        with session(engine) as db:
            draft = Article(source_id=source_id, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=f"Dam talks, day {n}",
                            text=f"Talks on the Nile dam resumed for the {n}th time.",
                            fetched_at=NOW)  # fmt: skip
            curator.store(draft, now=NOW, session=db)
        if curator.matcher() is not learned[-1]:
            learned.append(curator.matcher())
            assert n in (RELEARN_FIRST, 2 * RELEARN_FIRST), n
    assert len(learned) == 3, "after 50 articles, then after 100 (not 1000)"


TOPICS = """
[[topic]]
slug = "economy"
name_en = "Economy"
name_ar = "اقتصاد"
keywords_en = ["bank"]
describe_en = ["harbour cranes unload containers", "freight ships wait at the harbour"]

[[topic]]
slug = "sports"
name_en = "Sports"
name_ar = "رياضة"
keywords_en = ["match"]
describe_en = ["runners cross the finish line", "swimmers race in the pool"]
"""


async def test_topics_mean_what_they_are_described_as_once_the_embedder_answers(
    engine: Engine, tmp_path: Path
) -> None:
    catalog_file = tmp_path / "topics.toml"
    catalog_file.write_text(TOPICS)
    with session(engine) as db:
        topic_store.sync_catalog(load_topics(catalog_file), session=db)
        source = Source(name="Port News", url="https://port.example/feed.xml")
        db.add(source)
        db.flush()
        assert source.id is not None
        source_id = source.id
    with FakeEmbeddingsAPI() as api:
        settings = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url)
        now = [0.0]
        embedder = Endpoint(settings, clock=lambda: now[0])
        curator = Curator(engine, catalog_file, clock=lambda: NOW, embedder_name=embedder.name)
        assert not await curator.embed_topics(make_embedder(make_settings(tmp_path))), (
            "another embedder's prototypes would not meet the articles' vectors"
        )
        api.status = 503
        assert not await curator.embed_topics(embedder), "the embedder is failing: words alone"
        api.status = 200
        now[0] += RETRY_SECONDS  # a failing endpoint is asked again after a while
        assert await curator.embed_topics(embedder)
        title = "Cranes unload containers at the harbour"
        vectors = await embedder.embed([title])
        assert vectors is not None
        found = []
        for n, model in enumerate((embedder.name, "another-model")):
            with session(engine) as db:
                draft = Article(source_id=source_id, url=f"https://port.example/{n}",
                                url_key=f"port.example/{n}", title=title, text=f"Day {n}.",
                                vector=pack(vectors[0]), vector_model=model,
                                fetched_at=NOW)  # fmt: skip
                found.append(curator.store(draft, now=NOW, session=db)[1])
        await embedder.aclose()
    assert [(t.slug, t.evidence) for t in found[0] or ()] == [("economy", "meaning")]
    assert found[1] == [], "another model's vector is not compared with these prototypes"


async def test_the_pipeline_gives_topics_the_vectors_it_made_at_ingest(
    engine: Engine, tmp_path: Path, news_site: NewsSite
) -> None:
    catalog_file = tmp_path / "topics.toml"
    catalog_file.write_text(TOPICS)
    with session(engine) as db:
        topic_store.sync_catalog(load_topics(catalog_file), session=db)
    title = "Cranes unload containers at the harbour"  # no keyword of any topic
    news_site.put("/port/1.html", article_page(title, ["Day one.", "Day one, again."]))
    news_site.put("/feed.xml", rss([("p-1", news_site.url("/port/1.html"), title)]))
    source_id = add_source(engine, "Port News", news_site.url("/feed.xml"), language="en")
    with FakeEmbeddingsAPI() as api:
        settings = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url,
                                 topics_file=catalog_file, http_timeout_seconds=5.0)  # fmt: skip
        embedder = Endpoint(settings)
        async with make_client(settings) as client:
            pipeline = Pipeline(settings, engine, client, embedder=embedder)
            outcome = await pipeline.refresh_source(source_id)
        await embedder.aclose()
    assert len(outcome.new_ids) == 1
    with session(engine) as db:
        assert [s for s, _ in topic_store.of_article(outcome.new_ids[0], session=db)] == [
            "economy"
        ], "the article's meaning, from the pipeline's own vector, meets economy's prototype"


def test_search_terms_from_the_summarys_stems_are_those_of_the_text() -> None:
    # A summarized article's search terms reuse its sentences' stems; a text longer
    # than /search reads is cut, inside a word here, and stemmed again.
    long = "The ministers met again. " * 159 + "The ministers met in Khartoum."
    assert long[SEARCH_CHARS - 1 : SEARCH_CHARS + 1].isalpha()
    for text in [*AWKWARD, long]:
        for lead in (None, "", "Café ́ lead, «نعم»"):
            split = sentences_of(text)
            assert search_terms("ΟΔΟΣ ´ قالَ", lead, text, split=split) == search_terms(
                "ΟΔΟΣ ´ قالَ", lead, text
            ), (text, lead)


def test_topics_read_the_summarys_stems_as_those_of_the_body() -> None:
    # Topics read the body's first words, cut by word count: a sentence inside the
    # range gives its stems, one cut by its ends (here inside a quotation) is stemmed
    # again, and the fields are those of a body stemmed afresh.
    words = ("Talks resumed. " + AWKWARD[0] + " " + AWKWARD[1] + " " + AWKWARD[2] + " ") * 12
    assert len(words.split()) > LEAD_WORDS + BODY_WORDS
    for text in [*AWKWARD, words, " ".join(words.split()[: LEAD_WORDS + 3])]:
        split = sentences_of(text)
        for lead in (None, "", "Café ́ lead, «نعم»"):
            article = Article(source_id=1, url="https://a.example/business/1", url_key="k",
                              title="ΟΔΟΣ ´ قالَ", lead=lead, text=text)  # fmt: skip
            assert document(article, split=split).stems_of == document(article).stems_of
        tokens = text.split()
        for start, stop in ((0, 3), (2, 9), (5, 5), (7, 10**6)):
            assert split.stems_of_words(start, stop) == stems(" ".join(tokens[start:stop]))


def test_learning_from_articles_just_curated_reads_their_kept_stems_as_fresh_ones(
    engine: Engine, settings: Settings
) -> None:
    # Learning reads an article's first LEARN_CHARS characters. The sentences of one
    # just curated are kept, unless the cut falls among the words topics read (long
    # words here): learning from the kept ones learns what stemming afresh learns.
    rates = "The central bank raised interest rates again, and markets fell. "
    long_words = ("Unprecedentedly internationally coordinated macroeconomic stabilisation "
                  "interventions: the central bank raises interest rates. ") * 60  # fmt: skip
    assert len(long_words[:LEARN_CHARS].split()) <= WORDS_READ < len(long_words.split())
    texts = [rates * 8, rates * 3 + "Bond yields rose.", long_words, rates * 90]
    source_id = add_source(engine, "Nile Post", "https://nile.example/feed.xml")
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW, relearn_every=1,
                      relearn_after=dt.timedelta(0))  # fmt: skip
    for n, text in enumerate(texts):
        with session(engine) as db:
            draft = Article(source_id=source_id, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=f"Central bank moves, day {n}",
                            text=text, fetched_at=NOW)  # fmt: skip
            curator.store(draft, now=NOW, session=db)
    assert len(curator._stemmed) == 3, "the long words' sentences are not kept"
    curator._since_learning = RELEARN_FIRST
    kept = curator.matcher().profiles
    fresh = Curator(engine, settings.topics_path).matcher().profiles
    assert kept.sizes == fresh.sizes and sum(kept.sizes.values()) == len(texts)
    assert kept._rows == fresh._rows
    assert (kept._words == fresh._words).all()


def test_a_relearning_weighs_only_the_articles_it_has_not_filed_before(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh matcher files an article by its rules and meaning alone, the same way
    # each time: its claims are remembered, unless what learning reads of it changed.
    weighed: list[str] = []
    claims = Matcher.claims

    def counting(matcher: Matcher, doc: Document) -> list[str]:
        weighed.append(doc.title)
        return claims(matcher, doc)

    monkeypatch.setattr(Matcher, "claims", counting)
    source_id = add_source(engine, "Nile Post", "https://nile.example/feed.xml")
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW, relearn_every=1,
                      relearn_after=dt.timedelta(0))  # fmt: skip
    with session(engine) as db:
        for n in range(3):
            draft = Article(source_id=source_id, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=f"Central bank moves, day {n}",
                            text="The central bank raised interest rates.",
                            fetched_at=NOW)  # fmt: skip
            curator.store(draft, now=NOW, session=db)
    curator._since_learning = RELEARN_FIRST
    first = curator.matcher()
    assert sorted(weighed) == [f"Central bank moves, day {n}" for n in range(3)]
    with session(engine) as db:
        changed = db.exec(select(Article).where(Article.url_key == "nile.example/1")).one()
        changed.text = "Football: the cup final was played."
        db.add(changed)
    weighed.clear()
    curator._since_learning = RELEARN_FIRST
    again = curator.matcher()
    assert again is not first
    assert weighed == ["Central bank moves, day 1"], "only the one whose text changed"
    fresh = Curator(engine, settings.topics_path).matcher().profiles
    assert again.profiles.sizes == fresh.sizes and sum(fresh.sizes.values()) >= 2
    assert again.profiles._rows == fresh._rows
    assert (again.profiles._words == fresh._words).all(), "as learning afresh learns"


def test_a_unit_of_work_takes_the_right_to_place_and_looks_once(
    engine: Engine, settings: Settings
) -> None:
    # Placing holds the right to place until the unit of work ends: once it has looked
    # for what others placed, nobody else can place before it ends.
    curator = Curator(engine, settings.topics_path)
    source_id = add_source(engine, "Nile Post", "https://nile.example/feed.xml")
    curator.story_index()
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _k, statement, *_: statements.append(statement))  # fmt: skip

    def store(n: int, db: Session) -> Article:
        draft = Article(source_id=source_id, url=f"https://nile.example/{n}",
                        url_key=f"nile.example/{n}", title="Nile dam talks resume in Cairo",
                        text=f"Talks on the Nile dam resumed in Cairo, the {n}th round.",
                        fetched_at=NOW)  # fmt: skip
        return curator.store(draft, now=NOW, session=db)[0]

    def counted() -> tuple[int, int]:
        locks = sum(s.startswith("UPDATE story SET id=story.id") for s in statements)
        return locks, sum(s.startswith("SELECT max(article.id)") for s in statements)

    with session(engine) as db:
        stored = [store(n, db) for n in range(3)]
    assert counted() == (1, 1)
    assert len({a.story_id for a in stored}) == 1, "placed by what it placed before"
    with session(engine) as db:
        later = store(3, db)
    assert counted() == (2, 2), "another unit of work takes it, and looks, again"
    assert later.story_id == stored[0].story_id
    with session(engine) as db:
        store(4, db)
        with db.begin_nested():  # a savepoint may let go of what it took
            store(5, db)
    assert counted() == (4, 4)
