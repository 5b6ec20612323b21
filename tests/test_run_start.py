"""`newsbot run` at its edges, as real processes: a token Telegram rejects, no network.

The whole of stdout and stderr is read each time: the token never appears in it, and a
start that cannot go on is one line.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.loopback.bot_api import FakeBotAPI
from tests.conftest import child_env, run_cli

# A token in BotFather's shape; the loopback Bot API knows another one, so it answers 401.
REJECTED = "7012345678:AAH3kVq-rejected_TOKEN-0123456789abcd"
SECRET_PART = REJECTED.split(":")[1]
SALMA = FakeBotAPI.user(2002, "سلمى", "ar")


def test_a_rejected_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    assert run_cli("db", "upgrade", cwd=tmp_path).returncode == 0  # its line is not counted
    with FakeBotAPI() as api:
        result = run_cli("run", cwd=tmp_path, env={
            "TELEGRAM_BOT_TOKEN": REJECTED, "TELEGRAM_API_BASE_URL": api.base_url,
        })  # fmt: skip
        assert [c.method for c in api.calls] == ["getMe"], "asked once, not again"
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert SECRET_PART not in output
    assert output.splitlines() == [
        "newsbot: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): it was revoked or "
        "mistyped. Get the current one from @BotFather (/mybots, your bot, API Token) and put "
        "it in .env or the environment"
    ]


def test_a_rejected_token_is_not_shown_at_any_log_level(tmp_path: Path) -> None:
    with FakeBotAPI() as api:
        for level in ("DEBUG", "INFO", "WARNING", "ERROR"):
            result = run_cli("run", cwd=tmp_path, env={
                "TELEGRAM_BOT_TOKEN": REJECTED, "TELEGRAM_API_BASE_URL": api.base_url,
                "LOG_LEVEL": level,
            })  # fmt: skip
            output = result.stdout + result.stderr
            assert result.returncode == 2, (level, output)
            assert SECRET_PART not in output, level
            assert "Traceback" not in output, level
            assert ("getMe" in output) == (level == "DEBUG"), "DEBUG logging was on"


# Python's own tracebacks (top level, in a thread, in __del__), a warning, and a token
# written in two pieces: everything the process prints goes through the guard.
LEAKY = """
import sys, threading, warnings
from pydantic import SecretStr
from bot.redaction import guard_output, secrets_in
token = sys.argv[1]
guard_output(secrets_in(SecretStr(token)))
print("stdout:", token)
sys.stderr.write("in two pieces: " + token[:12])
sys.stderr.write(token[12:] + "\\n")
warnings.warn("a warning naming " + token)
def fail():
    raise RuntimeError("in a thread: " + token)
thread = threading.Thread(target=fail)
thread.start()
thread.join()
class Leaky:
    def __del__(self):
        raise ValueError("unraisable: " + token)
Leaky()
raise SystemExit("exit message: " + token) if len(sys.argv) > 2 else RuntimeError(token)
"""


def test_whatever_python_prints_itself_is_redacted(tmp_path: Path) -> None:
    for extra in ([], ["exit"]):
        result = subprocess.run(
            [sys.executable, "-c", LEAKY, REJECTED, *extra], cwd=tmp_path, env=child_env({}),
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        output = result.stdout + result.stderr
        assert result.returncode == 1
        assert SECRET_PART not in output, output
        for seen in (
            "stdout: <secret>",
            "in two pieces: <secret>",
            "a warning naming <secret>",
            "RuntimeError: in a thread: <secret>",
            "ValueError: unraisable: <secret>",
        ):
            assert seen in output, (seen, output)  # fmt: skip
        assert ("exit message: <secret>" if extra else "RuntimeError: <secret>") in output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_without_network_it_keeps_trying_then_serves(tmp_path: Path) -> None:
    """Telegram cannot be reached at first (nothing listens on its port); the bot says so
    in one line per attempt and starts serving as soon as Telegram answers."""
    assert run_cli("db", "upgrade", cwd=tmp_path).returncode == 0
    port = free_port()
    token = "7012345678:AAH3kVq-offline_TOKEN-0123456789abcd"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=tmp_path, text=True,
        env=child_env({"TELEGRAM_BOT_TOKEN": token,
                       "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot"}),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stderr.readline, "")))
    reader.start()
    try:
        deadline = time.monotonic() + 30
        while sum("cannot reach Telegram" in line for line in lines) < 3:
            assert time.monotonic() < deadline, lines
            assert process.poll() is None, lines
            time.sleep(0.05)
        with FakeBotAPI(token, port=port) as api:
            api.wait_for(lambda: api.calls_to("getUpdates"), timeout=30)
            api.send(SALMA, "/start")
            reply = api.wait_for_messages(SALMA["id"], timeout=30)[0]
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        reader.join(timeout=10)
    assert reply["text"].startswith("أهلًا")
    assert process.returncode == 0
    output = out + "".join(lines)
    assert token.split(":")[1] not in output
    assert "Traceback" not in output
    waits = [line for line in lines if "cannot reach Telegram" in line]
    assert 3 <= len(waits) <= 5, waits
    for attempt, line in enumerate(waits, 1):
        assert f"WARNING bot.tg.startup: cannot reach Telegram at 127.0.0.1:{port}: " in line
        assert "All connection attempts failed" in line
        wait = min(60, 2 ** (attempt - 1))
        assert f"; trying again in {wait} s, at " in line and line.endswith(
            f" UTC (attempt {attempt})\n"
        ), line
    assert any("connected to Telegram as @newsbot_test_bot" in line for line in lines)
    logged = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) [\w.]+: ")
    assert all(logged.match(line) for line in lines), "log lines only, one line each"
