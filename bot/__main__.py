"""The `newsbot` command: builds Settings once, sets up logging, runs a subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError
from sqlalchemy.engine import Engine, make_url

from bot import catalog
from bot.config import Settings, describe_errors
from storage import db
from storage import sources as source_store

log = logging.getLogger("bot")

Command = Callable[[argparse.Namespace, Settings], int]


class UsageError(Exception):
    """Stops a command with one line on stderr and exit status 2."""


def main(argv: Sequence[str] | None = None) -> int:
    # Opt in to python-telegram-bot's announced API (durations as timedelta) now.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
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
    _setup_logging(settings)
    try:
        command: Command = args.command
        return command(args, settings)
    except (UsageError, catalog.CatalogError) as error:
        print(f"newsbot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Curated Arabic and English news in Telegram. "
        "Settings come from the environment and .env (see .env.example).",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="run the bot and its scheduler (needs a token)")
    run.set_defaults(command=_run)

    database = commands.add_parser("db", help="the database").add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )
    database.add_parser("upgrade", help="create or upgrade the schema").set_defaults(
        command=_db_upgrade
    )

    sources = commands.add_parser("sources", help="the news sources").add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )
    sources.add_parser("list", help="every source with its health").set_defaults(
        command=_sources_list
    )
    return parser


def _run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        print(
            "newsbot: no TELEGRAM_BOT_TOKEN. Get one from @BotFather in Telegram (send it "
            "/newbot),\nthen put TELEGRAM_BOT_TOKEN=... in .env (see .env.example) or the "
            "environment.",
            file=sys.stderr,
        )
        return 2
    from telegram import Update

    from bot.app import build_application

    engine = _ready_engine(settings)
    application = build_application(settings, engine)
    log.info("starting the bot database=%s", _safe_url(settings.database_url))
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    print(f"{_safe_url(settings.database_url)}: schema at {db.current_revision(engine)}")
    return 0


def _sources_list(args: argparse.Namespace, settings: Settings) -> int:
    engine = _ready_engine(settings)
    with db.session(engine) as session:
        rows = source_store.list_with_health(session=session)
    header = ("name", "lang", "kind", "status", "last success", "fails", "24h", "url")
    table = [header]
    for row in rows:
        source = row.source
        success = source.last_success_at
        table.append(
            (
                source.name,
                source.language,
                source.kind,
                _status(source.enabled, source.error_count, source.failing_since,
                        source.last_checked_at, source.verified),
                success.strftime("%Y-%m-%d %H:%M UTC") if success else "never",
                str(source.error_count),
                str(row.articles_24h),
                source.url,
            )
        )  # fmt: skip
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False))
            + "  "
            + line[-1]
        )
    return 0


def _status(
    enabled: bool, errors: int, failing_since: object, checked: object, verified: bool
) -> str:
    if not enabled:
        return "disabled"
    if failing_since is not None:
        return "FAILING"
    if errors:
        return "erroring"
    if checked is None:
        return "new" if verified else "new, unverified"
    return "ok"


def _ready_engine(settings: Settings) -> Engine:
    """The engine, with the schema upgraded and the catalogs synced (checked first)."""
    loaded = catalog.load(sources_path=settings.sources_path, topics_path=settings.topics_path)
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    with db.session(engine) as session:
        catalog.sync(loaded, session=session)
    return engine


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


class _RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secret: str | None) -> None:
        super().__init__(fmt)
        self._secret = secret

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        return line.replace(self._secret, "<token>") if self._secret else line


def _setup_logging(settings: Settings) -> None:
    token = settings.telegram_bot_token
    handler = logging.StreamHandler()
    handler.setFormatter(
        _RedactingFormatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s",
            token.get_secret_value() if token else None,
        )
    )
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


if __name__ == "__main__":
    sys.exit(main())
