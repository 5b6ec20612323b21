"""`newsbot digest`: print exactly what a chat's digest would be now, no Telegram needed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import TYPE_CHECKING

from bot import catalog
from bot.cli.common import Subcommands, UsageError, ready_engine, zone_name
from bot.config import Settings

if TYPE_CHECKING:
    from bot.texts import Language

WINDOW = dt.timedelta(hours=24)


def register(commands: Subcommands) -> None:
    digest = commands.add_parser("digest", help="print what a chat's digest would be now")
    target = digest.add_mutually_exclusive_group(required=True)
    target.add_argument("--chat", type=int, metavar="ID", help="a chat the bot knows")
    target.add_argument("--preview", action="store_true", help="a chat that does not exist yet")
    digest.add_argument("--topics", default="", help="with --preview: slugs, comma-separated")
    digest.add_argument("--language", choices=("ar", "en"), help="with --preview")
    digest.add_argument(
        "--news-languages",
        type=_news_languages,
        metavar="ar|en|both",
        help="with --preview: the news' languages (default: --language's)",
    )
    digest.add_argument("--timezone", type=zone_name, metavar="ZONE",
                        help="with --preview: an IANA zone (default: settings)")  # fmt: skip
    digest.add_argument("--html", action="store_true", help="print the HTML sent to Telegram")
    digest.set_defaults(command=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here, not at the top: every command builds the parser, and delivery and
    # Telegram's types cost `newsbot curate` half a second it never uses.
    from bot.delivery.plan import reader_of
    from bot.digest import compose, select
    from bot.digest.coverage import Reader, news_languages
    from bot.digest.more import KEPT, sections
    from bot.digest.related import RELATED_WINDOW, Related
    from bot.language import stems
    from bot.loopback.telegram_html import parse_html
    from bot.texts import text
    from bot.tg.send import preview
    from storage import digests as digest_store
    from storage import outgoing, subscriptions
    from storage.db import session
    from storage.models import Chat

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
            reader = reader_of(chat)
        else:
            followed = {s.strip() for s in args.topics.split(",") if s.strip()}
            unknown = sorted(followed - set(names))
            if unknown:
                raise UsageError(f"unknown topic(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(sorted(names))}")  # fmt: skip
            followed = followed or set(names)
            keywords, delivered = {}, set()
            interface = args.language or settings.default_language
            reader = Reader(interface, news_languages(args.news_languages, interface),
                            args.timezone or settings.default_timezone)  # fmt: skip
        rows = digest_store.recent_stories(
            now - RELATED_WINDOW, session=db, words=bool(keywords), words_since=now - WINDOW
        )
    recent = [r for r in rows if r.last_seen >= now - WINDOW]
    # As the daily digest chooses (bot.delivery.plan_digests): topics, keywords, mutes,
    # languages; and as it makes the messages, its picture and its "more" buttons.
    chosen = select.select(followed, delivered, select.candidates_by_topic(recent), now,
                           keywords=keywords, rows=recent, muted=set(reader.muted),
                           reader=reader, following=KEPT)  # fmt: skip
    if not chosen.chosen:
        print("(nothing new for these topics in the last 24 hours)")
        return 0
    made = compose.digest(chosen, reader=reader, now=now, names=names, related=Related(rows))
    language: Language = "ar" if reader.language == "ar" else "en"
    for number, message in enumerate(made.messages, 1):
        options = preview(made.preview_url if number == 1 else None).to_dict()
        print(f"--- message {number} of {len(made.messages)} ---")
        print(f"link_preview_options: {json.dumps(options, ensure_ascii=False)}")
        print(message.text if args.html else parse_html(message.text).text)
        buttons = [text("more_button", language, topic=s.title)
                   for s in sections(message.sections) if s.remaining]  # fmt: skip
        if buttons:
            print(" ".join(f"[ {label} ]" for label in buttons))
    return 0


def _news_languages(value: str) -> str:
    from bot.digest.coverage import parse_languages

    wanted = parse_languages(value)
    if wanted is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not ar, en or both")
    return wanted
