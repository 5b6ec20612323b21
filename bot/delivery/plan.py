"""Planning: what is due goes into the ledger, ready to be sent (see courier.py).

One unit of work per batch of chats: their stories are chosen, the messages
rendered and recorded with one Delivery row per story (unique per chat and
story), and each chat's next digest time advanced. A crash before the commit
plans nothing; after it, the messages are in the ledger and will be sent. A
chat's digest for one scheduled time is planned once, whatever processes try
(the ledger's (chat, run, position) is unique).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.digest import compose, render, select
from bot.digest.coverage import Reader, news_languages
from bot.digest.more import KEPT
from bot.digest.related import RELATED_WINDOW, Related
from bot.digest.schedule import local, next_due, parse_hhmm, quiet
from bot.language import stems
from bot.texts import text
from storage import digests as digest_store
from storage import outgoing as outgoing_store
from storage.db import session
from storage.models import Chat

log = logging.getLogger(__name__)

STORY_WINDOW = dt.timedelta(hours=24)


@dataclass
class PlanReport:
    planned: int = 0  # chats whose digest was planned
    messages: int = 0
    empty: int = 0  # due, but nothing new for them
    skipped: int = 0  # missed by more than the grace window


def plan_digests(
    engine: Engine, now: dt.datetime, *, grace: dt.timedelta, names: dict[str, tuple[str, str]],
    batch: int = 500,
) -> PlanReport:  # fmt: skip
    """Plans the digest of every chat that is due, a batch of chats per unit of work;
    `names` maps a topic's slug to its (Arabic, English) names."""
    report = PlanReport()
    with session(engine) as db:
        due = digest_store.due_chats(now, session=db, limit=1_000_000)
        if not due:  # most ticks: a day of stories is not read for nobody
            return report
        followed = digest_store.followed_topics(session=db)
        keywords = {
            chat_id: {word: set(stems(word)) for word in words}
            for chat_id, words in digest_store.followed_keywords(session=db).items()
        }
        # The related window's stories: those of the digest's window are the candidates,
        # the earlier ones can only be related to them.
        rows = digest_store.recent_stories(
            now - RELATED_WINDOW, session=db, words=any(keywords.get(c.id) for c in due),
            words_since=now - STORY_WINDOW,
        )  # fmt: skip
    recent = [row for row in rows if row.last_seen >= now - STORY_WINDOW]
    by_topic = select.candidates_by_topic(recent)
    related = Related(rows)
    story_ids = [row.story_id for row in recent]
    rendered: dict[tuple[object, ...], compose.Digest] = {}  # the same digest, made once
    for start in range(0, len(due), batch):
        chats = due[start : start + batch]
        with session(engine) as db:
            delivered = outgoing_store.delivered_among([c.id for c in chats], story_ids, session=db)
            plans: list[outgoing_store.Plan] = []
            schedule: list[tuple[int, dt.datetime]] = []
            for chat in chats:
                assert chat.next_digest_at is not None
                scheduled = chat.next_digest_at
                schedule.append(
                    (chat.id, next_due(parse_hhmm(chat.digest_time), chat.timezone, now))
                )
                if now - scheduled > grace:
                    report.skipped += 1
                    log.info("digest skipped, missed by more than the grace window chat_id=%s "
                             "scheduled=%s", chat.id, scheduled.isoformat())  # fmt: skip
                    continue
                reader = reader_of(chat)
                chosen = select.select(
                    followed.get(chat.id, set()), delivered.get(chat.id, set()), by_topic, now,
                    keywords=keywords.get(chat.id), rows=recent, muted=set(chat.muted),
                    reader=reader, following=KEPT,
                )  # fmt: skip
                if not chosen.chosen:
                    report.empty += 1
                    if chat.empty_line:  # one short line, unless the chat asked for silence
                        plans.append(outgoing_store.Plan(
                            chat.id, f"digest {scheduled.isoformat()}", "notice",
                            [outgoing_store.Part(html.escape(text(
                                "nothing_today", "ar" if reader.language == "ar" else "en"
                            )))],
                        ))  # fmt: skip
                    continue
                key = (
                    tuple(r.story_id for _, r in chosen.chosen),
                    reader,
                    local(now, chat.timezone).date(),
                    tuple((s, tuple(r.story_id for r in n)) for s, n in chosen.next.items()),
                )
                if key not in rendered:
                    rendered[key] = compose.digest(chosen, reader=reader, now=now, names=names,
                                                   related=related)  # fmt: skip
                made = rendered[key]
                plans.append(outgoing_store.Plan(
                    chat.id, f"digest {scheduled.isoformat()}", "digest",
                    parts(made, [row.story_id for _, row in chosen.chosen]),
                ))  # fmt: skip
                report.planned += 1
                report.messages += len(made.messages)
            try:
                with db.begin_nested():
                    outgoing_store.plan_many(plans, session=db)
            # Another run delivered one of the stories meanwhile, or another process
            # planned this very digest: each plan alone, and the one that clashes is left.
            except IntegrityError:
                for plan in plans:
                    try:
                        with db.begin_nested():
                            outgoing_store.plan_many([plan], session=db)
                    except IntegrityError:
                        report.planned -= 1
                        log.info("digest not planned: planned already, or a story went out "
                                 "meanwhile chat_id=%s", plan.chat_id)  # fmt: skip
            digest_store.reschedule(schedule, session=db)
    return report


@dataclass(frozen=True)
class AlertRules:
    min_sources: int = 3
    within: dt.timedelta = dt.timedelta(minutes=90)
    max_per_hour: int = 3


def plan_alerts(
    engine: Engine, now: dt.datetime, *, rules: AlertRules, names: dict[str, tuple[str, str]]
) -> int:
    """Plans an alert for every story that many sources picked up quickly, to each chat
    following one of its topics: outside its quiet hours, within its hourly allowance,
    and never a story the chat already got. Returns how many were planned."""
    planned = 0
    with session(engine) as db:
        breaking = [
            row for row in digest_store.recent_stories(now - rules.within, session=db, words=False)
            if row.source_count >= rules.min_sources and row.topics
        ]  # fmt: skip
        if not breaking:
            return 0
        followed = digest_store.followed_topics(session=db)
        chats = [c for c in digest_store.alert_chats(session=db) if followed.get(c.id)]
        delivered = outgoing_store.delivered_among(
            [c.id for c in chats], [row.story_id for row in breaking], session=db
        )
        sent = digest_store.alerts_since(now - dt.timedelta(hours=1), session=db)
        plans = []
        for chat in chats:
            if quiet(now, chat.timezone, chat.quiet_start, chat.quiet_end):
                continue
            allowance = rules.max_per_hour - sent.get(chat.id, 0)
            reader = reader_of(chat)
            for row in sorted(breaking, key=lambda r: r.source_count, reverse=True):
                topics = followed[chat.id] & set(row.topics)
                if allowance <= 0 or not topics or row.story_id in delivered.get(chat.id, set()):
                    continue
                slug = max(topics, key=lambda s: row.topics[s])
                card = compose.card(slug, row, reader=reader, now=now, names=names)
                if card is None:  # nothing of it in the chat's languages
                    continue
                plans.append(outgoing_store.Plan(
                    chat.id, f"alert {row.story_id}", "alert",
                    [outgoing_store.Part(render.alert(card, language=reader.language),
                                         [row.story_id])],
                ))  # fmt: skip
                allowance -= 1
        outgoing_store.plan_many(plans, session=db)
        planned = len(plans)
    return planned


def plan_answer(
    engine: Engine, chat_id: int, *, run: str, made: compose.Digest, story_ids: list[int]
) -> bool:
    """An answer that shows stories (/digest), in the ledger like a digest, so that
    the daily digest never repeats them; False if one of them reached the chat
    meanwhile (nothing is planned then)."""
    plan = outgoing_store.Plan(chat_id, run, "news", parts(made, story_ids))
    try:
        with session(engine) as db:
            outgoing_store.plan_many([plan], session=db)
    except IntegrityError:
        return False
    return True


def parts(made: compose.Digest, story_ids: list[int]) -> list[outgoing_store.Part]:
    """A digest's messages for the ledger: every story rides with the first (the ledger is
    per chat and story), and so does the picture."""
    return [
        outgoing_store.Part(message.text, story_ids if i == 0 else [],
                            made.preview_url if i == 0 else None, message.sections)
        for i, message in enumerate(made.messages)
    ]  # fmt: skip


def reader_of(chat: Chat) -> Reader:
    """How a chat reads the news: its languages, time zone, pictures, muted sources."""
    language = chat.language if chat.language in ("ar", "en") else "en"
    return Reader(language, news_languages(chat.news_languages, language), chat.timezone,
                  chat.pictures, frozenset(chat.muted))  # fmt: skip
