"""An article's unit of work can fail after the article was placed in a story: a
commit refused, the topics' INSERT failing, the process's next step raising. Storage
then has neither the article nor a story it started, and the curator's story index
must not keep them either: SQLite hands the same ids out again, and PostgreSQL
refuses an article in a story that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.curation.curate import Curator
from storage.db import session
from storage.models import Article, Story
from tests.curation.test_shared_database import (
    BUDGET,
    HISTORY,
    NOW,
    QUAKE_AP,
    QUAKE_REUTERS,
    article,
    sources,
    store_here,
)


class CommitRefused(Exception):
    """What fails the unit of work after the article was placed."""


def store_and_fail(curator: Curator, engine: Engine, fields: dict[str, Any]) -> None:
    with session(engine) as db:
        curator.store(Article(**fields, fetched_at=NOW), now=NOW, session=db)
        raise CommitRefused


def test_a_placement_rolled_back_leaves_no_story_behind(
    any_engine: Engine, settings: Settings
) -> None:
    ids = sources(any_engine, "AP", "Reuters", "Parliament", "Archive")
    curator = Curator(any_engine, settings.topics_path, clock=lambda: NOW)
    for n, (title, text) in enumerate(HISTORY):
        store_here(curator, any_engine, article(ids["Archive"], n, title, text))
    with pytest.raises(CommitRefused):
        store_and_fail(curator, any_engine, article(ids["AP"], 10, *QUAKE_AP))
    # The next article, of another event, takes the ids SQLite hands out again.
    budget = store_here(curator, any_engine, article(ids["Parliament"], 11, *BUDGET))
    # The Reuters report of the quake has no story to join: the AP report is not stored.
    reuters = store_here(curator, any_engine, article(ids["Reuters"], 12, *QUAKE_REUTERS))
    assert reuters.story_id is not None and reuters.story_id != budget.story_id
    # The AP report, polled again at the next tick, joins it.
    ap = store_here(curator, any_engine, article(ids["AP"], 10, *QUAKE_AP))
    assert ap.story_id == reuters.story_id
    with session(any_engine) as db:
        stories = {s.id: s.headline for s in db.exec(select(Story))}
        placed = {a.url: a.story_id for a in db.exec(select(Article))}
    assert stories[budget.story_id] == BUDGET[0]
    assert len(set(placed.values())) == len(HISTORY) + 2
