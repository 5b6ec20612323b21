"""`newsbot run` and `newsbot db upgrade`."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.common import Subcommands, group, ready_engine, safe_url
from bot.config import Settings
from storage import db

log = logging.getLogger(__name__)


def register(commands: Subcommands) -> None:
    run = commands.add_parser("run", help="run the bot and its scheduler (needs a token)")
    run.set_defaults(command=run_bot)
    demo = commands.add_parser(
        "demo", help="see the whole bot offline, with sample news and a scripted reader"
    )
    demo.set_defaults(command=run_demo)
    database = group(commands, "db", "the database")
    database.add_parser("upgrade", help="create or upgrade the schema").set_defaults(
        command=upgrade
    )


def run_bot(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        print(
            "newsbot: no TELEGRAM_BOT_TOKEN. Get one from @BotFather in Telegram (send it "
            "/newbot),\nthen put TELEGRAM_BOT_TOKEN=... in .env (see .env.example) or the "
            "environment. To see the bot first, offline: newsbot demo",
            file=sys.stderr,
        )
        return 2
    from telegram import Update

    from bot.app import build_application

    engine = ready_engine(settings)
    application = build_application(settings, engine)
    log.info("starting the bot database=%s", safe_url(settings.database_url))
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot import demo

    return demo.run(settings, sys.stdout)


def upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    print(f"{safe_url(settings.database_url)}: schema at {db.current_revision(engine)}")
    return 0
