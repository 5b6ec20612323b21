"""The Curator: what a new article goes through before its one INSERT."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.ingest.curate import Curator
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
