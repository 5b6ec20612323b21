"""storage.chats: a group's migration to a supergroup, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage import chats, subscriptions
from storage.db import session
from storage.models import Chat, Delivery, Outgoing, Source, Story, Topic


def test_a_supergroup_used_before_its_migration_was_known_becomes_one_chat(
    any_engine: Engine,
) -> None:
    """The supergroup got a row of its own (a command there came before the service
    message): the two become one, with the group's settings and both ledgers."""
    due = dt.datetime(2026, 12, 2, 3, 45, tzinfo=dt.UTC)
    with session(any_engine) as db:
        db.add_all([Topic(slug="economy", name_ar="اقتصاد", name_en="Economy"),
                    Topic(slug="sports", name_ar="رياضة", name_en="Sports"),
                    Source(name="Wire", url="https://wire.test/rss", origin="cli")])  # fmt: skip
        stories = [Story(headline=f"Story {n}") for n in range(3)]
        db.add_all(stories)
        db.add(Chat(id=-100, kind="group", title="Readers", language="ar",
                    timezone="Asia/Riyadh", digest_time="06:45", next_digest_at=due,
                    muted=["Wire"], alerts=False))  # fmt: skip
        db.add(Chat(id=-1000100, kind="supergroup", title="Readers", language="en"))
        db.flush()
        for chat_id, slug in ((-100, "economy"), (-100, "sports"), (-1000100, "economy")):
            subscriptions.toggle_topic(chat_id, slug, session=db)
        for chat_id, word in ((-100, "OpenAI"), (-100, "Gaza"), (-1000100, "Gaza")):
            subscriptions.follow_keyword(chat_id, word, session=db)
        story_ids = [s.id for s in stories]
        db.add_all([Delivery(chat_id=-100, story_id=story_ids[0]),
                    Delivery(chat_id=-100, story_id=story_ids[1]),
                    Delivery(chat_id=-1000100, story_id=story_ids[1]),
                    Outgoing(chat_id=-100, text="planned for the group")])  # fmt: skip
    with session(any_engine) as db:
        assert chats.migrate(-100, -1000100, session=db)
    with session(any_engine) as db:
        assert db.get(Chat, -100) is None, "the group's row is gone: no second digest"
        merged = db.get(Chat, -1000100)
        assert merged is not None
        assert (merged.kind, merged.language, merged.timezone, merged.digest_time,
                merged.next_digest_at, merged.muted, merged.alerts) == (
            "supergroup", "ar", "Asia/Riyadh", "06:45", due, ["Wire"], False)  # fmt: skip
        assert subscriptions.topic_slugs(-1000100, session=db) == {"economy", "sports"}
        assert subscriptions.keywords(-1000100, session=db) == ["Gaza", "OpenAI"]
        delivered = [d.story_id for d in db.exec(select(Delivery).order_by(Delivery.story_id))]
        assert delivered == story_ids[:2], "each story once, as sent to either"
        assert [o.chat_id for o in db.exec(select(Outgoing))] == [-1000100]
    with session(any_engine) as db:  # the other service message, later: nothing to move
        assert not chats.migrate(-100, -1000100, session=db)


def test_a_migration_to_a_new_id_moves_the_chat(any_engine: Engine) -> None:
    with session(any_engine) as db:
        db.add(Chat(id=-200, kind="group", title="Small", digest_time="07:00"))
    with session(any_engine) as db:
        assert chats.migrate(-200, -1000200, session=db)
    with session(any_engine) as db:
        moved = db.get(Chat, -1000200)
        assert moved is not None and (moved.kind, moved.digest_time) == ("supergroup", "07:00")
        assert db.get(Chat, -200) is None
