"""Story rows kept up to date in one statement, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from storage import stories as story_store
from storage.db import session
from storage.models import Story

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def test_attach_counts_articles_and_sources_and_keeps_the_latest_time(
    any_engine: Engine,
) -> None:
    with session(any_engine) as db:
        story_id = story_store.start("Dam deal agreed", when=NOW, terms=["dam"], session=db)
        later = NOW + dt.timedelta(hours=2)
        story_store.attach(story_id, when=later, new_source=False,
                           headline="Nile dam deal agreed by three states",
                           terms=["dam", "nile"], session=db)  # fmt: skip
        story_store.attach(story_id, when=NOW + dt.timedelta(hours=1), new_source=True,
                           headline=None, terms=["dam", "nile"], session=db)  # fmt: skip
    with session(any_engine) as db:
        row = db.get(Story, story_id)
        assert row is not None
        assert (row.article_count, row.source_count) == (3, 2), "a story starts with one of each"
        assert row.last_seen_at == later, "an earlier time does not move it back"
        assert row.headline == "Nile dam deal agreed by three states"
        assert row.terms == ["dam", "nile"]
