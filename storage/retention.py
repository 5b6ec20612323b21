"""Forgetting old news: articles, stories and finished messages older than the
operator keeps them. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Article, Outgoing, Story

_FINISHED = ("sent", "unconfirmed", "gone", "failed")  # pending and sending ones stay


@dataclass(frozen=True)
class Pruned:
    articles: int = 0
    stories: int = 0
    messages: int = 0

    def __add__(self, other: Pruned) -> Pruned:
        return Pruned(self.articles + other.articles, self.stories + other.stories,
                      self.messages + other.messages)  # fmt: skip

    @property
    def total(self) -> int:
        return self.articles + self.stories + self.messages


def prune_batch(before: dt.datetime, *, session: Session, limit: int = 2000) -> Pruned:
    """Deletes up to `limit` each of: articles fetched before `before` (their topics
    and other addresses go with them; a newer copy of one forgets what it copied),
    stories last seen before it (with the record of which chats got them), and
    messages created before it that were sent, or could not be. Call again until it
    returns nothing; each call is small enough not to hold the database for long."""
    articles = list(
        session.exec(select(Article.id).where(col(Article.fetched_at) < before).limit(limit))
    )
    if articles:
        session.exec(delete(Article).where(col(Article.id).in_(articles)))
    stories = list(
        session.exec(select(Story.id).where(col(Story.last_seen_at) < before).limit(limit))
    )
    if stories:
        session.exec(delete(Story).where(col(Story.id).in_(stories)))
    messages = list(
        session.exec(
            select(Outgoing.id)
            .where(col(Outgoing.created_at) < before, col(Outgoing.status).in_(_FINISHED))
            .limit(limit)
        )
    )
    if messages:
        session.exec(delete(Outgoing).where(col(Outgoing.id).in_(messages)))
    return Pruned(len(articles), len(stories), len(messages))
