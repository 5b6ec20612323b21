import contextlib
import datetime as dt
import sys
from pathlib import Path

import alembic.command
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from storage import chats, sources
from storage.db import (
    HEAD,
    alembic_config,
    current_revision,
    make_engine,
    session,
    unless_committed,
    upgrade,
)
from storage.models import Article, Chat, Delivery, Outgoing, Source, Story

UTC = dt.UTC


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_migrations_match_the_models(any_engine: Engine) -> None:
    with any_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, parent: not (
                kind == "table" and name and name.startswith("article_search")
            )
        })  # fmt: skip
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert current_revision(any_engine) == "0016"


def test_upgrade_twice_is_harmless(any_engine: Engine) -> None:
    upgrade(any_engine)
    assert current_revision(any_engine) == "0016"


def test_a_database_at_head_is_upgraded_without_alembic(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each start upgrades: at HEAD it is one query, with neither Alembic nor the scripts.
    def migrate(*args: object) -> None:
        raise AssertionError("ran the migrations of a database at HEAD")

    monkeypatch.setattr(alembic.command, "upgrade", migrate)
    monkeypatch.setitem(sys.modules, "alembic", None)  # importing it now fails
    upgrade(engine)
    assert current_revision(engine) == HEAD


def test_head_is_the_newest_migration(engine: Engine) -> None:
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    assert scripts.get_current_head() == HEAD


def test_database_folder_is_created_on_first_use(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'news.db'}")
    upgrade(engine)
    assert (tmp_path / "a" / "b" / "news.db").is_file()


def test_datetimes_come_back_utc_aware(any_engine: Engine) -> None:
    riyadh = dt.timezone(dt.timedelta(hours=3))
    with session(any_engine) as db:
        db.add(
            Source(
                name="S", url="https://s", next_check_at=dt.datetime(2026, 1, 1, 12, tzinfo=riyadh)
            )
        )
    with session(any_engine) as db:
        source = db.get(Source, 1)
    assert source is not None and source.next_check_at is not None
    assert source.next_check_at == dt.datetime(2026, 1, 1, 9, tzinfo=UTC)
    assert source.next_check_at.tzinfo is UTC


def test_naive_datetimes_are_refused(any_engine: Engine) -> None:
    with pytest.raises(Exception, match="naive datetime"), session(any_engine) as db:
        db.add(Source(name="S", url="https://s", next_check_at=dt.datetime(2026, 1, 1)))  # noqa: DTZ001


def _story_and_chat(engine: Engine) -> tuple[int, int]:
    with session(engine) as db:
        source = Source(name="S", url="https://s")
        story = Story(headline="h")
        db.add_all([source, story, Chat(id=-100123, kind="supergroup")])
        db.flush()
        db.add(
            Article(
                source_id=source.id, url="https://s/1", url_key="s/1", title="t", story_id=story.id
            )
        )
        return -100123, story.id  # type: ignore[return-value]


def test_a_story_goes_to_a_chat_at_most_once(any_engine: Engine) -> None:
    chat_id, story_id = _story_and_chat(any_engine)
    with session(any_engine) as db:
        db.add(Delivery(chat_id=chat_id, story_id=story_id))
    with pytest.raises(IntegrityError), session(any_engine) as db:
        db.add(Delivery(chat_id=chat_id, story_id=story_id, kind="alert"))


def test_foreign_keys_are_enforced(any_engine: Engine) -> None:
    with pytest.raises(IntegrityError), session(any_engine) as db:
        db.add(Delivery(chat_id=1, story_id=999))


def test_get_or_create_chat_keeps_settings_and_revives(any_engine: Engine) -> None:
    defaults = chats.ChatDefaults(language="ar", timezone="Asia/Riyadh", digest_time="07:00")
    with session(any_engine) as db:
        chat, created = chats.get_or_create(
            5, kind="private", title=None, defaults=defaults, session=db
        )
        assert created and chat.timezone == "Asia/Riyadh"
        chat.language, chat.active = "en", False
    with session(any_engine) as db:
        chat, created = chats.get_or_create(
            5, kind="private", title=None, defaults=defaults, session=db
        )
    assert not created
    assert chat.language == "en" and chat.active


def test_list_with_health_counts_articles_of_the_last_day(any_engine: Engine) -> None:
    now = dt.datetime(2026, 11, 29, 12, tzinfo=UTC)
    with session(any_engine) as db:
        source = Source(name="S", url="https://s")
        db.add_all([source, Source(name="Quiet", url="https://q")])
        db.flush()
        for hours, n in ((1, 1), (23, 2), (25, 3)):
            db.add(Article(source_id=source.id, url=f"https://s/{n}", url_key=f"s/{n}", title="t",
                           fetched_at=now - dt.timedelta(hours=hours)))  # fmt: skip
    with session(any_engine) as db:
        rows = sources.list_with_health(session=db, now=now)
    assert [(r.source.name, r.articles_24h) for r in rows] == [("Quiet", 0), ("S", 2)]


def blanked_after_upgrade(tmp_path: Path, revision: str, title: str, terms: str) -> list[str]:
    """An article with these search terms, stored at `revision` (the tables as they were
    then, not as the models are); its terms once upgraded to the head."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, revision)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (id, name, url, kind, language, enabled, origin, verified, "
                "error_count, created_at) VALUES (1, 'Nile Post', 'https://nile.example/feed.xml', "
                "'feed', 'ar', 1, 'catalog', 0, 0, '2026-11-29 00:00:00')"
            )
        )
        connection.execute(text(
            "INSERT INTO article (source_id, url, url_key, title, text, tags, search_terms, "
            "related, fetched_at) VALUES (1, 'https://nile.example/1', 'nile.example/1', "
            ":title, '', '[]', :terms, '[]', '2026-11-29 00:00:00')"
        ), {"title": title, "terms": terms})  # fmt: skip
    upgrade(engine)
    with session(engine) as db:
        found = [a.search_terms for a in db.exec(select(Article))]
    engine.dispose()
    return found


def test_migration_0011_blanks_search_terms_for_the_bot_to_work_out_again(
    tmp_path: Path,
) -> None:
    assert blanked_after_upgrade(tmp_path, "0010", "Talks", " talk ") == [""]


def test_migration_0016_blanks_search_terms_stemmed_before_the_la_rule(tmp_path: Path) -> None:
    """A database at 0015 holds للبنات's terms as لبن, Lebanon's stem: blanked, for the bot
    to work out again with the new stems."""
    assert blanked_after_upgrade(tmp_path, "0015", "مدرسة للبنات", " مدرس لبن ") == [""]


def test_migration_0012_keeps_a_digest_planned_twice_and_plans_once_from_then_on(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0011")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO chat (id, kind, language, timezone, digest_time, active, paused, "
                "alerts, muted, empty_line, created_at) VALUES (5, 'private', 'en', 'UTC', "
                "'08:00', 1, 0, 1, '[]', 1, '2026-11-29 00:00:00')"
            )
        )
        for text_ in ("first", "twin"):  # what two processes used to make of one digest
            connection.execute(text(
                "INSERT INTO outgoing (chat_id, kind, run, position, text, status, attempts, "
                "message_ids, created_at) VALUES (5, 'digest', 'digest 2026-11-29T05:00', 0, "
                f"'{text_}', 'sent', 1, '[]', '2026-11-29 05:00:00')"
            ))  # fmt: skip
    upgrade(engine)
    with session(engine) as db:
        runs = {o.text: o.run for o in db.exec(select(Outgoing))}
        assert runs["first"] == "digest 2026-11-29T05:00"
        assert runs["twin"].startswith("digest 2026-11-29T05:00 #"), "kept, renamed"
    with pytest.raises(IntegrityError), session(engine) as db:
        db.add(Outgoing(chat_id=5, run="digest 2026-11-29T05:00", position=0, text="third"))
    engine.dispose()


def test_migration_0014_keeps_every_chats_rows_and_gives_them_the_defaults(
    tmp_path: Path,
) -> None:
    """Adding chat's columns must not rebuild the table: with foreign keys on, dropping
    the old `chat` would empty what belongs to each chat (its planned messages, follows)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0013")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO chat (id, kind, language, timezone, digest_time, active, paused, "
            "alerts, muted, empty_line, created_at) VALUES (5, 'private', 'ar', 'UTC', "
            "'08:00', 1, 0, 1, '[]', 1, '2026-11-29 00:00:00')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO outgoing (chat_id, kind, run, position, text, status, attempts, "
            "message_ids, created_at) VALUES (5, 'digest', 'digest 1', 0, 'sent before', "
            "'sent', 1, '[7]', '2026-11-29 05:00:00')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO subscription (chat_id, keyword, created_at) VALUES (5, 'nile', "
            "'2026-11-29 00:00:00')"
        ))  # fmt: skip
    upgrade(engine)
    with session(engine) as db:
        chat = db.get(Chat, 5)
        assert chat is not None and (chat.news_languages, chat.pictures) == (None, True)
        [sent] = db.exec(select(Outgoing)).all()
        assert (sent.text, sent.preview_url, sent.sections) == ("sent before", None, [])
        assert db.exec(text("SELECT count(*) FROM subscription")).one()[0] == 1  # type: ignore[call-overload]
    engine.dispose()


def test_what_a_caller_keeps_of_a_unit_of_work_is_undone_only_if_it_does_not_commit(
    engine: Engine,
) -> None:
    undone: list[str] = []

    def add_twice(key: str) -> None:  # the second source fails: the same URL
        with session(engine) as db:
            unless_committed(db, key, lambda: undone.append(key))
            unless_committed(db, key, lambda: undone.append("twice"))  # one per key
            db.add(Source(name="AP", url="https://ap.example/feed.xml"))
            db.flush()
            db.add(Source(name="AP again", url="https://ap.example/feed.xml"))

    with session(engine) as db:
        unless_committed(db, "kept", lambda: undone.append("kept"))
        db.add(Source(name="Reuters", url="https://reuters.example/feed.xml"))
        # A savepoint rolled back leaves the unit of work going.
        with contextlib.suppress(IntegrityError), db.begin_nested():
            db.add(Source(name="Reuters again", url="https://reuters.example/feed.xml"))
    assert undone == []
    with pytest.raises(IntegrityError):
        add_twice("failed")
    assert undone == ["failed"]
