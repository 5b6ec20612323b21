"""`newsbot run`, `newsbot demo`, `newsbot db upgrade` and `newsbot db prune`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import sys
from urllib.parse import urlsplit

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
    from telegram import Update

    from bot.app import build_application
    from bot.tg.startup import TokenRejected, reach_telegram

    engine = ready_engine(settings)
    application = build_application(settings, engine)
    # Telegram is reached on the loop run_polling() then uses (it takes the current one).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    where = urlsplit(settings.telegram_api_base_url).netloc
    try:
        loop.run_until_complete(reach_telegram(application, where=where))
    except TokenRejected as error:
        loop.close()
        raise UsageError(str(error)) from None
    log.info("connected to Telegram as @%s database=%s", application.bot.username,
             safe_url(settings.database_url))  # fmt: skip
    # The webhook is cleared before polling; that, too, waits out a network that fails.
    application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    return 0


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
