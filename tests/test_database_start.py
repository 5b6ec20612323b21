"""`newsbot run` with a database it cannot use, as real processes on real files.

Each case is one line on stderr that names the setting or the file and what to do, and
exit status 2; the whole output is read, and the token is never in it.

- read-only: a folder nobody may write to (chmod; for root, which chmod does not stop,
  the immutable flag, chattr +i);
- full disk: the process may write files of at most 64 KiB (RLIMIT_FSIZE), so SQLite's
  writes fail as on a full disk: with EFBIG SQLite says "disk I/O error", where a full
  filesystem makes it say "database or disk is full"; both get the same answer;
- garbage bytes as the SQLite file; a PostgreSQL URL whose port nobody listens on;
  `foo://bar`.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import child_env, run_cli

TOKEN = "7012345678:AAH3kVq-database_TOKEN-0123456789abcd"


def newsbot_run(cwd: Path, database_url: str, **limits: int) -> tuple[int, list[str]]:
    env = child_env({"TELEGRAM_BOT_TOKEN": TOKEN, "DATABASE_URL": database_url,
                     "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"})  # fmt: skip

    def limit() -> None:
        for name, value in limits.items():
            resource.setrlimit(getattr(resource, name), (value, value))

    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=60, check=False, preexec_fn=limit if limits else None,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert TOKEN.split(":")[1] not in output
    return result.returncode, output.splitlines()


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    folder.chmod(0o555)
    locked = False
    try:
        if os.geteuid() == 0:  # root writes anywhere chmod says not to
            if shutil.which("chattr") is None:
                pytest.skip("running as root, and no chattr to make a folder read-only")
            done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"chattr +i refused here: {done.stderr!r}")
            locked = True
        yield
    finally:
        if locked:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_a_new_database_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with read_only(folder):
        status, lines = newsbot_run(tmp_path, "sqlite:///data/newsbot.db")
    assert status == 2
    assert lines == [
        f"newsbot: DATABASE_URL=sqlite:///data/newsbot.db: cannot write to {folder}/newsbot.db "
        f"(unable to open database file): make the file and its folder {folder} writable by "
        "this user, or name a file in a writable folder"
    ]


def test_an_existing_database_in_a_read_only_folder(tmp_path: Path) -> None:
    assert run_cli("db", "upgrade", cwd=tmp_path).returncode == 0
    folder = tmp_path / "data"
    for leftover in folder.glob("newsbot.db-*"):  # as a clean stop leaves it
        leftover.unlink()
    with read_only(folder):
        status, lines = newsbot_run(tmp_path, "sqlite:///data/newsbot.db")
    assert status == 2
    [line] = lines
    assert line.startswith(f"newsbot: DATABASE_URL=sqlite:///data/newsbot.db: cannot write to "
                           f"{folder}/newsbot.db (")  # fmt: skip
    assert line.endswith(f"): make the file and its folder {folder} writable by this user, or "
                         "name a file in a writable folder")  # fmt: skip


def test_a_database_on_a_full_disk(tmp_path: Path) -> None:
    status, lines = newsbot_run(tmp_path, "sqlite:///data/newsbot.db", RLIMIT_FSIZE=64 * 1024)
    assert status == 2
    [line] = lines
    assert line.startswith(f"newsbot: DATABASE_URL=sqlite:///data/newsbot.db: cannot write to "
                           f"{tmp_path}/data/newsbot.db (")  # fmt: skip
    assert line.endswith("): the disk is full or failing; free some space, or name a file on "
                         "another disk")  # fmt: skip


def test_a_file_of_garbage_as_the_database(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "newsbot.db").write_bytes(bytes(range(256)) * 64)
    status, lines = newsbot_run(tmp_path, "sqlite:///data/newsbot.db")
    assert status == 2
    assert lines == [
        f"newsbot: DATABASE_URL=sqlite:///data/newsbot.db: {tmp_path}/data/newsbot.db is not "
        "an SQLite database, or it is damaged: move it aside to start a new, empty one, or put "
        "back a copy"
    ]


def test_an_unreachable_postgresql(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://newsbot:hunter2secret@127.0.0.1:{port}/newsbot"
    status, lines = newsbot_run(tmp_path, url)
    assert status == 2
    [line] = lines
    assert line.startswith(f"newsbot: DATABASE_URL=postgresql+psycopg://newsbot:***@127.0.0.1:"
                           f"{port}/newsbot: cannot reach the database server at 127.0.0.1:"
                           f"{port} (")  # fmt: skip
    assert "Connection refused" in line
    assert line.endswith("): check that it runs and that the host and port are right")
    assert "hunter2secret" not in line


@pytest.mark.parametrize("url", ["foo://bar", "not a URL", "postgres://u:hunter2secret@h/db"])
def test_a_database_url_of_no_known_kind(tmp_path: Path, url: str) -> None:
    status, lines = newsbot_run(tmp_path, url)
    assert status == 2
    shown = url.replace("hunter2secret", "***")
    assert lines == [
        f"newsbot: DATABASE_URL={shown!r} is not valid: expected an SQLAlchemy URL such as "
        "sqlite:///data/newsbot.db or postgresql+psycopg://user:pass@host/db"
    ]
    assert not (tmp_path / "data").exists()
