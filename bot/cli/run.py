"""`newsbot run`, `newsbot demo`, `newsbot db upgrade` and `newsbot db prune`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import signal
import sys

from bot.cli.common import Subcommands, UsageError, group, ready_engine, safe_url
from bot.config import MIN_KEEP_NEWS_DAYS, Settings
from bot.retention import cutoff
from bot.retention import prune as prune_before
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
    prune_ = database.add_parser("prune", help="remove news older than KEEP_NEWS_DAYS now")
    prune_.add_argument("--days", type=int, help="keep this many days instead (at least 3)")
    prune_.set_defaults(command=prune)


def run_bot(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        print(
            "newsbot: no TELEGRAM_BOT_TOKEN. Get one from @BotFather in Telegram (send it "
            "/newbot),\nthen put TELEGRAM_BOT_TOKEN=... in .env (see .env.example) or the "
            "environment. To see the bot first, offline: newsbot demo",
            file=sys.stderr,
        )
        return 2
    # SIGTERM while starting (systemd stopping a service that has not come up yet) is a
    # clean stop too; once serving, bot.serve handles it.
    signal.signal(signal.SIGTERM, _stopped_while_starting)
    try:
        from bot.app import build_application
        from bot.serve import serve
        from bot.tg.startup import TokenRejected

        engine = ready_engine(settings)
        application = build_application(settings, engine)
        try:
            asyncio.run(serve(application, engine, settings))
        except TokenRejected as error:
            raise UsageError(str(error)) from None
    except _Stopped:
        log.info("stopped while starting")
    return 0


class _Stopped(Exception):
    pass


def _stopped_while_starting(signum: int, frame: object) -> None:
    raise _Stopped


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot import demo

    return demo.run(settings, sys.stdout)


def upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    print(f"{safe_url(settings.database_url)}: schema at {db.current_revision(engine)}")
    return 0


def prune(args: argparse.Namespace, settings: Settings) -> int:
    days = settings.keep_news_days if args.days is None else args.days
    if args.days is not None and args.days < MIN_KEEP_NEWS_DAYS:
        raise UsageError(f"--days must be at least {MIN_KEEP_NEWS_DAYS}: stories gather their "
                         f"articles over {MIN_KEEP_NEWS_DAYS} days")  # fmt: skip
    before = cutoff(dt.datetime.now(dt.UTC), days)
    if before is None:
        print("KEEP_NEWS_DAYS=0: news is kept forever, nothing removed")
        return 0
    done = prune_before(ready_engine(settings), before)
    print(f"removed {done.articles} articles, {done.stories} stories and {done.messages} "
          f"sent messages from before {before:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    return 0
