"""Real `newsbot run` processes for tests: started, killed with SIGKILL, stopped cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import child_env


class BotProcess:
    """`newsbot run` in its own process, its output in a log file beside the database."""

    count = 0

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        BotProcess.count += 1
        self.log = folder / f"newsbot-{BotProcess.count}.log"
        self._out = self.log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=folder, env=child_env(env),
            stdout=self._out, stderr=subprocess.STDOUT,
        )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no cleanup, no last commit."""
        self.process.kill()
        self.process.wait(timeout=30)
        self._out.close()

    def serving(self, timeout: float = 60) -> None:
        """Waits until it serves (a stop before is the interpreter's, not ours)."""
        deadline = time.monotonic() + timeout
        while "Application started" not in self.output():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise TimeoutError(f"newsbot did not start: {self.output()[-2000:]}")
            time.sleep(0.1)

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, as systemd stops a service; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self._out.close()
        return code

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")


def bot_env(api_base_url: str, token: str, database_url: str, catalog: Path,
            **more: str) -> dict[str, str]:  # fmt: skip
    """The settings of a test's `newsbot run`: the loopback Bot API, the test's database,
    a catalog with no sources (nothing reaches out), fast ticks of the lease."""
    return {
        "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": api_base_url,
        "DATABASE_URL": database_url, "SOURCES_FILE": str(catalog), "LOG_LEVEL": "INFO",
        "LEADER_LEASE_SECONDS": "3", "TELEGRAM_TIMEOUT_SECONDS": "5",
        "SEND_PER_SECOND": "60", "DEFAULT_LANGUAGE": "en", "EMBEDDINGS": "off", **more,
    }  # fmt: skip


def no_sources(folder: Path) -> Path:
    catalog = folder / "no-sources.toml"
    catalog.write_text("# no sources: these tests are about Telegram\n", encoding="utf-8")
    return catalog
