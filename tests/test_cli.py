import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from storage import db
from storage.models import Article, Source
from tests.conftest import ROOT, child_env, run_cli


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "db", "sources"):
        assert command in result.stdout


def test_no_command_prints_help_and_exit_2(tmp_path: Path) -> None:
    result = run_cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: newsbot" in result.stdout


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert "@BotFather" in lines[0]
    assert "TELEGRAM_BOT_TOKEN" in lines[1] and ".env" in lines[1]
    assert "newsbot demo" in lines[1]
    assert not (tmp_path / "data").exists(), "nothing is created before the token is checked"


def test_db_upgrade_creates_the_schema_in_an_empty_default_database(tmp_path: Path) -> None:
    result = run_cli("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    database = tmp_path / "data" / "newsbot.db"
    assert database.is_file()
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
        version = connection.execute("select version_num from alembic_version").fetchone()
    assert {"source", "article", "story", "topic", "article_topic", "chat"} <= tables
    assert {"subscription", "delivery"} <= tables
    assert version == ("0016",)
    again = run_cli("db", "upgrade", cwd=tmp_path)
    assert again.returncode == 0, again.stderr


def test_db_prune_removes_what_is_older_than_kept(tmp_path: Path) -> None:
    assert run_cli("db", "upgrade", cwd=tmp_path).returncode == 0
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'newsbot.db'}")
    now = dt.datetime.now(dt.UTC)
    with db.session(engine) as session:
        source = Source(name="S", url="https://s.test/rss", origin="cli")
        session.add(source)
        session.flush()
        for n, age in ((1, 40), (2, 10)):
            session.add(Article(source_id=source.id, url=f"https://s.test/{n}",
                                url_key=f"s.test/{n}", title="T",
                                fetched_at=now - dt.timedelta(days=age)))  # fmt: skip
    result = run_cli("db", "prune", "--days", "30", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed 1 articles, 0 stories and 0 sent messages from before")
    with db.session(engine) as session:
        assert [a.url_key for a in session.exec(select(Article))] == ["s.test/2"]
    engine.dispose()
    too_short = run_cli("db", "prune", "--days", "1", cwd=tmp_path)
    assert too_short.returncode == 2
    assert "at least 3" in too_short.stderr
    forever = run_cli("db", "prune", cwd=tmp_path, env={"KEEP_NEWS_DAYS": "0"})
    assert forever.stdout.strip() == "KEEP_NEWS_DAYS=0: news is kept forever, nothing removed"


def test_sources_list_shows_the_bundled_catalog(tmp_path: Path) -> None:
    result = run_cli("sources", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["name", "lang", "kind", "status"]
    assert any(line.startswith("RT Arabic ") and " ar " in line for line in lines)
    assert any(line.startswith("BBC News ") and " en " in line for line in lines)
    assert "new, unverified" in result.stdout
    assert lines[-1].startswith("meaning: bundled use-m3"), "what curation compares by"
    assert lines[-1].endswith("0 of 0 articles in 24 h have a vector")
    endpoint = run_cli("sources", "list", cwd=tmp_path, env={
        "EMBEDDINGS": "endpoint", "EMBEDDINGS_API_URL": "http://127.0.0.1:9/v1"})  # fmt: skip
    assert endpoint.stdout.splitlines()[-1].startswith(
        "meaning: endpoint text-embedding-3-small at http://127.0.0.1:9/v1"
    ), endpoint.stdout


def test_sources_list_with_a_broken_catalog_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nname = "X"\nurl = "gopher://x"\n')
    result = run_cli("sources", "list", cwd=tmp_path, env={"SOURCES_FILE": str(bad)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"newsbot: {bad}: source #1 (X): url must start with http:// or https://"
    )


@pytest.mark.parametrize(
    "args",
    [("sources", "list"), ("extract", str(ROOT / "tests" / "fixtures" / "pages" / "br-text.html"))],
)
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path, args: tuple) -> None:
    """`newsbot sources list | head -1`, with the reader gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=child_env({}),
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert "BrokenPipeError" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert result.returncode == 128 + signal.SIGPIPE, "as a program SIGPIPE stopped"
