"""Leases and claims: one holder at a time, taken over when the holder stops renewing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bot.leader import Leader
from storage import leases
from storage import sources as source_store
from storage.db import session
from storage.models import Source

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def test_a_lease_has_one_holder_until_it_runs_out(any_engine: Engine) -> None:
    def take(holder: str, at: dt.datetime) -> bool:
        with session(any_engine) as db:
            return leases.take("telegram", holder, now=at, until=at + 30 * SECOND, session=db)

    assert take("a", NOW)
    assert not take("b", NOW + 10 * SECOND), "a holds it"
    assert take("a", NOW + 20 * SECOND), "a renews it"
    assert not take("b", NOW + 45 * SECOND), "renewed until 50 s"
    assert take("b", NOW + 51 * SECOND), "a stopped renewing: b takes over"
    assert not take("a", NOW + 52 * SECOND)
    with session(any_engine) as db:
        assert leases.holder_of("telegram", now=NOW + 52 * SECOND, session=db) == "b"
        leases.release("telegram", "b", session=db)
    assert take("a", NOW + 53 * SECOND), "given up cleanly: taken at once"


async def test_the_leader_says_it_holds_only_while_it_does(any_engine: Engine) -> None:
    clock = [NOW]
    changes: list[bool] = []

    async def changed(held: bool) -> None:
        changes.append(held)

    first = Leader(any_engine, seconds=30, clock=lambda: clock[0], on_change=changed,
                   holder="first")  # fmt: skip
    second = Leader(any_engine, seconds=30, clock=lambda: clock[0], holder="second")
    assert await first.step() and first.held()
    assert not await second.step() and not second.held()
    clock[0] = NOW + 25 * SECOND  # the first one stalled past two thirds: it stops
    assert not first.held(), "unsure it still holds it: sends nothing"
    clock[0] = NOW + 31 * SECOND
    assert await second.step(), "taken over"
    assert not await first.step() and changes == [True, False]


def test_due_sources_are_claimed_by_one_poller(any_engine: Engine) -> None:
    with session(any_engine) as db:
        for n in range(5):
            db.add(Source(name=f"S{n}", url=f"https://s{n}.test/rss", next_check_at=NOW))
        db.add(Source(name="later", url="https://later.test/rss", next_check_at=NOW + SECOND))
    with session(any_engine) as db:
        mine = source_store.claim_due(NOW, holder="a", until=NOW + 600 * SECOND, session=db)
    with session(any_engine) as db:
        theirs = source_store.claim_due(NOW, holder="b", until=NOW + 600 * SECOND, session=db)
    assert sorted(s.name for s in mine) == ["S0", "S1", "S2", "S3", "S4"]
    assert theirs == [], "claimed: not due for anyone else"
    with session(any_engine) as db:
        again = source_store.claim_due(NOW + 601 * SECOND, holder="b",
                                       until=NOW + 1200 * SECOND, session=db)  # fmt: skip
    assert len(again) == 6, "a claim whose poller died runs out"
