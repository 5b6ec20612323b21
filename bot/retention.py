"""Removing news older than KEEP_NEWS_DAYS: the hourly job and `newsbot db prune`."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from storage.db import session
from storage.retention import Pruned, prune_batch

log = logging.getLogger(__name__)

PRUNE_TICK_SECONDS = 3600


def cutoff(now: dt.datetime, keep_days: int) -> dt.datetime | None:
    """What is older than this goes; None when everything is kept (0 days)."""
    return now - dt.timedelta(days=keep_days) if keep_days else None


@dataclass(frozen=True)
class Retention:
    """What the hourly job needs: the database and how many days news is kept."""

    engine: Engine
    keep_days: int

    def run(self, now: dt.datetime) -> Pruned:
        before = cutoff(now, self.keep_days)
        return prune(self.engine, before) if before is not None else Pruned()


def prune(engine: Engine, before: dt.datetime, *, batch: int = 2000) -> Pruned:
    """Everything older than `before`, removed a batch at a time, each batch its own
    unit of work so that polls and deliveries are never kept waiting long."""
    done = Pruned()
    while True:
        with session(engine) as db:
            step = prune_batch(before, session=db, limit=batch)
        done += step
        if not step.total:
            break
    if done.total:
        log.info("old news removed before=%s articles=%d stories=%d messages=%d",
                 before.isoformat(), done.articles, done.stories, done.messages)  # fmt: skip
    return done
