"""The `newsbot` command: builds Settings once, sets up logging, runs a subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot import catalog
from bot.cli import curate, digest, news, run, sources
from bot.cli.common import Command, UsageError, safe_url
from bot.config import Settings, describe_errors
from bot.redaction import guard_output, redact, secrets_in
from storage import db


def main(argv: Sequence[str] | None = None) -> int:
    # Opt in to python-telegram-bot's announced API (durations as timedelta) now.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    # One BLAS thread for the bundled embedding model: a second gains nothing on two
    # cores the event loop shares (measured), and must be said before numpy loads.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command"):
        parser.print_help()
        return 2
    try:
        settings = Settings()
    except ValidationError as error:
        for line in describe_errors(error):
            print(f"newsbot: {line}", file=sys.stderr)
        return 2
    secrets = secrets_in(settings.telegram_bot_token, settings.summary_api_key)
    guard_output(secrets)
    _setup_logging(secrets, settings.log_level)
    try:
        command: Command = args.command
        status = command(args, settings)
        sys.stdout.flush()  # here, where a reader gone away is caught, not at exit
        return status
    except (UsageError, catalog.CatalogError) as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    except db.DatabaseUnusable as error:
        print(f"newsbot: DATABASE_URL={safe_url(settings.database_url)}: {error}",
              file=sys.stderr)  # fmt: skip
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        if not _stdout_is_closed():
            raise
        return 128 + signal.SIGPIPE


def _stdout_is_closed() -> bool:
    """Whether the reader of stdout went away (`newsbot sources list | head -1`). Then the
    command ends as a program that SIGPIPE stopped does, in silence: what is still buffered
    for stdout goes to /dev/null, not into a second error at exit."""
    if not getattr(sys.stdout, "reader_gone", False):
        return False
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return True


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Curated Arabic and English news in Telegram. "
        "Settings come from the environment and .env (see .env.example).",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in (run, news, curate, digest, sources):
        module.register(commands)
    return parser


class _RedactingFormatter(logging.Formatter):
    """Log lines (tracebacks included) without the secrets, whatever stream they go to."""

    def __init__(self, fmt: str, secrets: tuple[str, ...]) -> None:
        super().__init__(fmt)
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def _setup_logging(secrets: tuple[str, ...], level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        _RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
