"""The Curator: what a new article goes through before its one INSERT."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.curation.curate import Curator
from bot.language import stems
from storage import articles as article_store
from storage import search
from storage.db import session
from storage.models import Article, Source

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def test_topic_profiles_are_learned_again_after_enough_articles_and_time(
    engine: Engine, settings: Settings
) -> None:
    clock = [NOW]
    curator = Curator(engine, settings.topics_path, clock=lambda: clock[0], relearn_every=2,
                      relearn_after=dt.timedelta(minutes=15))  # fmt: skip
    with session(engine) as db:
        source = Source(name="Nile Post", url="https://nile.example/feed.xml")
        db.add(source)
        db.flush()
        assert source.id is not None
        source_id = source.id

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
