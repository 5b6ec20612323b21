"""Shared fixtures: settings on a temporary database, and the loopback servers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from telegram.ext import Application

from bot import catalog
from bot.app import build_application
from bot.config import Settings
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from bot.tg.startup import start_polling
from storage import db

ROOT = Path(__file__).resolve().parents[1]
# python-telegram-bot's announced behaviour (retry_after as a timedelta), as bot.__main__ sets it.
os.environ.setdefault("PTB_TIMEDELTA", "true")


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{tmp_path / 'newsbot.db'}",
        "allow_private_sources": True,
        "embeddings": "off",  # tests that mean to, turn the embedder on
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL server (pgserver's bundled binaries) on a unix socket."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    server.cleanup()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> Engine:
    """An upgraded engine on SQLite, then on PostgreSQL: storage must work on both."""
    return request.getfixturevalue("engine" if request.param == "sqlite" else "postgres_engine")


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """An upgraded engine on a database of its own on the PostgreSQL server."""
    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    engine = db.make_engine(make_url(postgres_url).set(database=name).render_as_string(False))
    db.upgrade(engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name}"))
    admin.dispose()


@pytest.fixture
def news_site() -> Iterator[NewsSite]:
    with NewsSite() as site:
        yield site


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
async def running_bot(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine, settings: Settings
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The real python-telegram-bot Application, polling the loopback Bot API."""
    async with bot_running(tmp_path, bot_api, engine) as application:
        yield application


@contextlib.asynccontextmanager
async def bot_running(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine, **overrides: Any
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The Application on the test's database with these settings changed, polling."""
    bot_settings = make_settings(
        tmp_path,
        telegram_bot_token=bot_api.token,
        telegram_api_base_url=bot_api.base_url,
        default_language="en",
        admin_ids=(9999,),
        **overrides,
    )
    loaded = catalog.load(sources_path=bot_settings.sources_path,
                          topics_path=bot_settings.topics_path)  # fmt: skip
    with db.session(engine) as session:  # the catalog's topics, as `newsbot run` syncs them
        catalog.sync(loaded, session=session)
    application = build_application(bot_settings, engine)
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.start()
    assert application.updater
    await start_polling(application.updater, where="loopback", poll_interval=0.0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_shutdown:
            await application.post_shutdown(application)
        await application.shutdown()


async def wait(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Runs a blocking wait of the fake servers without stopping the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Runs `newsbot ARGS` in a fresh process in `cwd`, with only the given settings set."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=child_env(env or {}),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def child_env(settings: dict[str, str]) -> dict[str, str]:
    """The environment for a child newsbot: the system's basics plus `settings`, nothing else."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR", "SYSTEMROOT"}
    return {**{k: v for k, v in os.environ.items() if k in keep}, **settings}
