"""Old news is removed, with what hangs on it, and nothing newer or unfinished."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.retention import cutoff, prune
from storage.db import session
from storage.models import (
    Article,
    ArticleAlias,
    ArticleTopic,
    Chat,
    Delivery,
    Outgoing,
    Source,
    Story,
    Topic,
)  # fmt: skip
from storage.retention import Pruned

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)
OLD = NOW - dt.timedelta(days=100)


def test_old_news_goes_with_what_hangs_on_it(any_engine: Engine) -> None:
    with session(any_engine) as db:
        source = Source(name="Wire", url="https://wire.test/rss", origin="cli")
        topic = Topic(slug="economy", name_ar="اقتصاد", name_en="Economy")
        chat = Chat(id=7, kind="private", language="ar", timezone="UTC", digest_time="08:00")
        old_story = Story(headline="Old", first_seen_at=OLD, last_seen_at=OLD)
        new_story = Story(headline="New", first_seen_at=NOW, last_seen_at=NOW)
        db.add_all([source, topic, chat, old_story, new_story])
        db.flush()
        old = Article(source_id=source.id, url="https://wire.test/old", url_key="wire.test/old",
                      title="Old", story_id=old_story.id, fetched_at=OLD)  # fmt: skip
        db.add(old)
        db.flush()
        new = Article(source_id=source.id, url="https://wire.test/new", url_key="wire.test/new",
                      title="New", story_id=new_story.id, copy_of_id=old.id,
                      fetched_at=NOW)  # fmt: skip
        sent_long_ago = Outgoing(chat_id=7, run="digest 1", text="old digest", status="sent",
                                 created_at=OLD)  # fmt: skip
        stuck_long_ago = Outgoing(chat_id=7, run="digest 2", text="never sent",
                                  status="pending", created_at=OLD)  # fmt: skip
        sent_today = Outgoing(chat_id=7, run="digest 3", text="today's digest", status="sent",
                              created_at=NOW)  # fmt: skip
        db.add_all([new, sent_long_ago, stuck_long_ago, sent_today,
                    ArticleTopic(article_id=old.id, topic_id=topic.id, score=0.5),
                    ArticleAlias(url_key="wire.test/old-amp", article_id=old.id),
                    Delivery(chat_id=7, story_id=old_story.id, sent_at=OLD),
                    Delivery(chat_id=7, story_id=new_story.id, sent_at=NOW)])  # fmt: skip
    before = cutoff(NOW, 90)
    assert before == NOW - dt.timedelta(days=90)
    assert prune(any_engine, before, batch=1) == Pruned(articles=1, stories=1, messages=1)
    with session(any_engine) as db:
        assert [a.title for a in db.exec(select(Article))] == ["New"]
        assert db.exec(select(Article)).one().copy_of_id is None
        assert [s.headline for s in db.exec(select(Story))] == ["New"]
        assert list(db.exec(select(ArticleTopic))) == []
        assert list(db.exec(select(ArticleAlias))) == []
        assert [d.story_id for d in db.exec(select(Delivery))] == [new_story.id]
        assert sorted(o.text for o in db.exec(select(Outgoing))) == [
            "never sent", "today's digest"
        ]  # fmt: skip
    assert prune(any_engine, before) == Pruned()


def test_keeping_forever_removes_nothing() -> None:
    assert cutoff(NOW, 0) is None
