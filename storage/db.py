"""Engine, sessions and schema upgrades.

SQLite gets WAL, foreign keys and a busy timeout on every connection; its file's
folder is created on first use. Any other SQLAlchemy URL (PostgreSQL) is used as
given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

BUSY_TIMEOUT_MS = 10_000
log = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A unit of work: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as db:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise


def insert_one(session: Session, statement: Any, values: dict[str, Any]) -> int:
    """Runs a single-row INSERT outside the ORM's unit of work; returns the new row's
    id. Through inserted_primary_key, not RETURNING: SQLite has RETURNING only since
    3.35, and Python links the system's SQLite (3.31 on Ubuntu 20.04, 3.34 on Debian 11)."""
    session.flush()  # what the session holds goes first (a row this one refers to)
    key = session.connection().execute(statement, values).inserted_primary_key
    assert key is not None
    return int(key[0])


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); safe to repeat."""
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), revision)
    after = current_revision(engine)
    if after != before:
        log.info("database schema upgraded from %s to %s", before or "nothing", after)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
