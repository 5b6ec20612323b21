"""Which `newsbot run` talks to Telegram, when several share one database.

Telegram lets one client poll a bot's updates at a time, and its sending limits
are the bot's, not a process's: so getUpdates, planning digests and sending
them are one lease ("telegram") that one process holds and renews. The others
stand by: they poll news sources (each source claimed by one poller, see
storage.sources.claim_due) and take the lease over within a lease's time when
its holder stops renewing it (it died, or lost the database). A clean stop gives
it up at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from functools import cache

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage import leases
from storage.db import session

log = logging.getLogger(__name__)

TELEGRAM = "telegram"


@cache
def process_name() -> str:
    """This process, as leases and claims name it: host:pid:nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Leader:
    """Keeps trying to hold a lease; `holding` says whether this process has it now.

    `on_change(True)` runs once it is taken, `on_change(False)` once it is lost;
    while held it is renewed every third of its length, and counts as lost as
    soon as a renewal fails, before the lease itself runs out elsewhere.
    """

    def __init__(
        self, engine: Engine, *, seconds: float, name: str = TELEGRAM,
        on_change: Callable[[bool], Awaitable[None]] | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        holder: str | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.name = name
        self.seconds = seconds
        self.on_change = on_change
        self.clock = clock
        self.holder = holder or process_name()
        self.holding = False
        self.stopping = False  # a clean stop: held() says no from now on
        self._valid_until = dt.datetime.min.replace(tzinfo=dt.UTC)
        self._said_standby: str | None = None

    def held(self) -> bool:
        """Whether the lease is ours now: taken, and not past what we last renewed."""
        return self.holding and not self.stopping and self.clock() < self._valid_until

    async def run(self) -> None:
        """Takes, renews and reports the lease until cancelled; then gives it up."""
        try:
            while True:
                await self.step()
                await asyncio.sleep(self.seconds / 3)
        finally:
            if self.holding:
                await asyncio.to_thread(self._release)

    async def step(self) -> bool:
        """One try to take or renew the lease; returns whether it is held."""
        now = self.clock()
        until = now + dt.timedelta(seconds=self.seconds)
        try:
            held, other = await asyncio.to_thread(self._take, now, until)
        except SQLAlchemyError as error:
            held, other = False, None
            log.warning("lease not renewed, the database failed name=%s reason=%s",
                        self.name, type(error).__name__)  # fmt: skip
        if held:
            # Counted from before the attempt: the lease may have been written then.
            self._valid_until = now + dt.timedelta(seconds=self.seconds * 2 / 3)
        if held != self.holding:
            self.holding = held
            log.info("%s lease name=%s holder=%s", "took" if held else "lost", self.name,
                     self.holder)  # fmt: skip
            if self.on_change is not None:
                try:
                    await self.on_change(held)
                except Exception as error:  # e.g. Telegram unreachable: tried again next step
                    log.warning("lease %s, but acting on it failed name=%s reason=%s",
                                "taken" if held else "lost", self.name, error)  # fmt: skip
                    self.holding = not held
        if not held and other and other != self._said_standby:
            self._said_standby = other
            log.info("standing by: another newsbot holds the %s lease holder=%s; taking over "
                     "if it stops for %.0f s", self.name, other, self.seconds)  # fmt: skip
        return held

    def _take(self, now: dt.datetime, until: dt.datetime) -> tuple[bool, str | None]:
        with session(self.engine) as db:
            if leases.take(self.name, self.holder, now=now, until=until, session=db):
                return True, None
            return False, leases.holder_of(self.name, now=now, session=db)

    def _release(self) -> None:
        try:
            with session(self.engine) as db:
                leases.release(self.name, self.holder, session=db)
        except SQLAlchemyError:
            log.warning("lease not given up; it runs out by itself name=%s", self.name)
        self.holding = False
