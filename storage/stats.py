"""Figures for operators (/stats). Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Article, Chat, Delivery, Source, Subscription


@dataclass(frozen=True)
class Stats:
    chats: int
    active_chats: int
    subscriptions: int
    sources: int
    sources_erroring: int
    sources_failing: int  # failing for over a day
    articles_today: int
    articles_meant: int  # of those, with a vector from the embedder
    deliveries_today: int


def gather(now: dt.datetime, *, session: Session) -> Stats:
    day = now - dt.timedelta(hours=24)

    def count(query: object) -> int:
        return int(session.exec(query).one())  # type: ignore[call-overload]

    return Stats(
        chats=count(select(func.count()).select_from(Chat)),
        active_chats=count(select(func.count()).select_from(Chat).where(col(Chat.active))),
        subscriptions=count(
            select(func.count())
            .select_from(Subscription)
            .join(Chat, col(Chat.id) == col(Subscription.chat_id))
            .where(col(Chat.active))
        ),
        sources=count(select(func.count()).select_from(Source).where(col(Source.enabled))),
        sources_erroring=count(
            select(func.count()).select_from(Source).where(col(Source.error_count) > 0)
        ),
        sources_failing=count(
            select(func.count()).select_from(Source).where(col(Source.failing_since) <= day)
        ),
        articles_today=count(
            select(func.count()).select_from(Article).where(col(Article.fetched_at) >= day)
        ),
        articles_meant=count(
            select(func.count())
            .select_from(Article)
            .where(col(Article.fetched_at) >= day, col(Article.vector).is_not(None))
        ),
        deliveries_today=count(
            select(func.count()).select_from(Delivery).where(col(Delivery.sent_at) >= day)
        ),
    )
