"""`newsbot digest`: print exactly what a chat's digest would be now, no Telegram needed."""

from __future__ import annotations

import argparse
import datetime as dt

from bot import catalog
from bot.cli.common import Subcommands, UsageError, ready_engine, zone_name
from bot.config import Settings
from bot.digest import compose, select
from bot.language import stems
from bot.loopback.telegram_html import parse_html
from storage import digests as digest_store
from storage import outgoing, subscriptions
from storage.db import session
from storage.models import Chat

WINDOW = dt.timedelta(hours=24)


def register(commands: Subcommands) -> None:
    digest = commands.add_parser("digest", help="print what a chat's digest would be now")
    target = digest.add_mutually_exclusive_group(required=True)
    target.add_argument("--chat", type=int, metavar="ID", help="a chat the bot knows")
    target.add_argument("--preview", action="store_true", help="a chat that does not exist yet")
    digest.add_argument("--topics", default="", help="with --preview: slugs, comma-separated")
    digest.add_argument("--language", choices=("ar", "en"), help="with --preview")
    digest.add_argument("--timezone", type=zone_name, metavar="ZONE",
                        help="with --preview: an IANA zone (default: settings)")  # fmt: skip
    digest.add_argument("--html", action="store_true", help="print the HTML sent to Telegram")
    digest.set_defaults(command=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    engine = ready_engine(settings)
    topics = catalog.load_topics(settings.topics_path)
    names = {t.slug: (t.name_ar, t.name_en) for t in topics}
    now = dt.datetime.now(dt.UTC)
    with session(engine) as db:
        if args.chat is not None:
            chat = db.get(Chat, args.chat)
            if chat is None:
                raise UsageError(f"no chat {args.chat}; try --preview --topics ...")
            followed = subscriptions.topic_slugs(chat.id, session=db)
            keywords = {w: set(stems(w)) for w in subscriptions.keywords(chat.id, session=db)}
            delivered = outgoing.delivered_story_ids(chat.id, session=db)
            language, zone, muted = chat.language, chat.timezone, set(chat.muted)
        else:
            followed = {s.strip() for s in args.topics.split(",") if s.strip()}
            unknown = sorted(followed - set(names))
            if unknown:
                raise UsageError(f"unknown topic(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(sorted(names))}")  # fmt: skip
            followed = followed or set(names)
            keywords, delivered, muted = {}, set(), set()
            language = args.language or settings.default_language
            zone = args.timezone or settings.default_timezone
        rows = digest_store.recent_stories(now - WINDOW, session=db, words=bool(keywords))
    # As the daily digest chooses (bot.delivery.plan_digests): topics, keywords, mutes.
    chosen = select.choose(followed, delivered, select.candidates_by_topic(rows), now,
                           keywords=keywords, rows=rows, muted=muted)  # fmt: skip
    if not chosen:
        print("(nothing new for these topics in the last 24 hours)")
        return 0
    messages = compose.messages(chosen, language=language, zone=zone, now=now, names=names)
    for number, message in enumerate(messages, 1):
        print(f"--- message {number} of {len(messages)} ---")
        print(message if args.html else parse_html(message).text)
    return 0
