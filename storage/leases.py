"""Leases: work that one process at a time does, held for a while and renewed.

A lease is taken only when it is free or its holder let it expire (a process
that dies stops renewing), with one compare-and-set UPDATE: of two processes
asking at once, the database lets one through. Functions take `*, session` and
never commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from storage.models import Lease, UTCDateTime


def take(name: str, holder: str, *, now: dt.datetime, until: dt.datetime, session: Session) -> bool:
    """Takes or renews the lease for `holder` until `until`; False while another
    holder's lease runs."""
    kept = col(Lease.holder) == holder
    since = case((kept, col(Lease.acquired_at)), else_=literal(now, UTCDateTime()))
    taken = session.exec(
        update(Lease)
        .where(col(Lease.name) == name, or_(kept, col(Lease.expires_at) < now))
        .values(holder=holder, expires_at=until, acquired_at=since)
    ).rowcount
    if taken:
        return True
    if session.get(Lease, name) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(Lease(name=name, holder=holder, acquired_at=now, expires_at=until))
    except IntegrityError:  # another process made it first
        return False
    return True


def release(name: str, holder: str, *, session: Session) -> None:
    """Gives the lease up at once (a clean stop), if `holder` has it."""
    session.exec(
        update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == holder)
        .values(expires_at=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    )


def holder_of(name: str, *, now: dt.datetime, session: Session) -> str | None:
    """Who holds the lease now, if anyone."""
    lease = session.get(Lease, name)
    return lease.holder if lease is not None and lease.expires_at >= now else None
