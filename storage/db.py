"""Engine, sessions and schema upgrades.

SQLite gets WAL, foreign keys and a busy timeout on every connection; its file's
folder is created on first use. Any other SQLAlchemy URL (PostgreSQL) is used as
given, with a connect timeout unless the URL sets one.

A database that cannot be used (its driver not installed, its server not reachable,
its file read-only, on a full disk, or not a database at all) raises DatabaseUnusable,
whose message is one line saying what is wrong and what to do (see `explaining`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, exc, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, create_engine

# Alembic is imported when the schema is to change, not by every start: loading it and
# the migration scripts costs half a second, and a database at HEAD needs neither.
if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration (storage/migrations/versions); a test holds it to the scripts'.
HEAD = "0016"
BUSY_TIMEOUT_MS = 10_000
CONNECT_S = 10  # a database server that does not answer in this long is not reachable
log = logging.getLogger(__name__)


class DatabaseUnusable(Exception):
    """The database cannot be used as given; str() says why and what to do, in one line."""


def make_engine(url: str, *, echo: bool = False) -> Engine:
    parsed = make_url(url)
    try:
        if not parsed.drivername.startswith("sqlite"):
            timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_S}
            return create_engine(url, echo=echo, pool_pre_ping=True, connect_args=timeout)
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().absolute().parent.mkdir(parents=True, exist_ok=True)
    except ImportError as error:  # the driver SQLAlchemy imports for the URL
        raise DatabaseUnusable(
            f"the {parsed.drivername} driver is not installed ({error}); install it "
            "(for postgresql+psycopg: pip install 'psycopg[binary]')"
        ) from error
    except OSError as error:
        raise DatabaseUnusable(
            f"cannot create the folder {error.filename}: {error.strerror}; create it, or "
            "name a file in a folder that exists"
        ) from error
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


def unless_committed(session: Session, key: object, undo: Callable[[], None]) -> None:
    """Calls `undo` if the unit of work `session` is in ends without committing (rolled
    back, or its commit failed): for what a caller keeps in memory of rows written in
    it, which storage then no longer has. Once per key and unit of work."""
    session.info.setdefault(_UNDO, {}).setdefault(key, undo)


_UNDO = "storage.db.unless_committed"


# Listened to on every session, as one listener on a session of its own costs a tenth
# of a millisecond, and the pipeline has a unit of work for each article.
@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if pending := session.info.get(_UNDO):
        pending.clear()


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and (pending := session.info.get(_UNDO)):
        undo = list(pending.values())  # the unit of work ended, not a savepoint within it
        pending.clear()
        for each in undo:
            each()


def insert_one(session: Session, statement: Any, values: dict[str, Any]) -> int:
    """Runs a single-row INSERT outside the ORM's unit of work; returns the new row's
    id. Through inserted_primary_key, not RETURNING: SQLite has RETURNING only since
    3.35, and Python links the system's SQLite (3.31 on Ubuntu 20.04, 3.34 on Debian 11)."""
    session.flush()  # what the session holds goes first (a row this one refers to)
    key = session.connection().execute(statement, values).inserted_primary_key
    assert key is not None
    return int(key[0])


# Ids in one IN (...): within every database's bound parameters (SQLite's were 999
# before 3.32), in statements short enough to plan quickly.
IN_BATCH = 500


def in_batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """The ids, IN_BATCH at a time, for queries of the form `id IN (...)`."""
    listed = list(ids)
    for start in range(0, len(listed), IN_BATCH):
        yield listed[start : start + IN_BATCH]


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("storage") / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); safe to repeat."""
    with explaining(engine.url):
        before = current_revision(engine)
        if before == HEAD and revision in ("head", HEAD):
            return  # the usual start: nothing to do, and no need to load Alembic
        from alembic import command

        command.upgrade(alembic_config(engine), revision)
        after = current_revision(engine)
    if after != before:
        log.info("database schema upgraded from %s to %s", before or "nothing", after)


def current_revision(engine: Engine) -> str | None:
    """The schema's revision, as Alembic stamps it (None for an empty database), read
    with one query rather than through Alembic."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def explaining(url: str | URL) -> Iterator[None]:
    """Within the block, a database that cannot be used raises DatabaseUnusable."""
    try:
        yield
    except exc.DatabaseError as error:
        # Not reachable, not openable, not writable, not a database; an IntegrityError or
        # a ProgrammingError (also DatabaseErrors) is a bug, and stays one.
        if not isinstance(error, exc.OperationalError) and type(error) is not exc.DatabaseError:
            raise
        raise DatabaseUnusable(_why(make_url(url), error)) from error


def _why(url: URL, error: exc.DBAPIError) -> str:
    """One line: what is wrong with the database, and what to do."""
    said = (str(error.orig) if error.orig is not None else str(error)).strip()
    said = said.splitlines()[0] if said else type(error).__name__  # psycopg adds hints below
    low = said.lower()
    if url.drivername.startswith("sqlite"):
        file = Path(url.database or "").expanduser().absolute()
        if "not a database" in low or "malformed" in low:
            return (f"{file} is not an SQLite database, or it is damaged: move it aside to "
                    "start a new, empty one, or put back a copy")  # fmt: skip
        if "readonly" in low or "read-only" in low or "unable to open" in low:
            return (f"cannot write to {file} ({said}): make the file and its folder "
                    f"{file.parent} writable by this user, or name a file in a writable "
                    "folder")  # fmt: skip
        if "full" in low or "disk i/o" in low:
            return (f"cannot write to {file} ({said}): the disk is full or failing; free "
                    "some space, or name a file on another disk")  # fmt: skip
        return f"cannot use {file}: {said}"
    server = f"{url.host or 'localhost'}:{url.port or 'default port'}"
    if "password" in low or "authentication" in low:
        return f"the server at {server} refused the user and password: check them"
    if "does not exist" in low:
        return f"{said}: create it on the server at {server}, or fix the name"
    if "connection" in low or "timeout" in low or "resolve" in low or "translate" in low:
        return (f"cannot reach the database server at {server} ({said}): check that it "
                "runs and that the host and port are right")  # fmt: skip
    return f"cannot use the database at {server}: {said}"
