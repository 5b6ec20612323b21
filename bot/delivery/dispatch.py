"""The delivery tick: what is due is planned, then everything planned is sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine

from bot.delivery.courier import Courier, SendReport
from bot.delivery.plan import AlertRules, PlanReport, plan_alerts, plan_digests
from bot.tg.send import Sender
from bot.tg.witness import Witness

log = logging.getLogger(__name__)


class Dispatcher:
    """Plans and sends, but only while `may_send()` (the process holds the Telegram
    lease): one process of several does it, at Telegram's limits for the bot."""

    def __init__(
        self, engine: Engine, sender: Sender, *, grace: dt.timedelta,
        names: dict[str, tuple[str, str]], alerts: AlertRules | None = None,
        may_send: Callable[[], bool] = lambda: True, witness: Witness | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.courier = Courier(engine, sender, may_send=may_send, witness=witness)
        self.grace = grace
        self.names = names
        self.alerts = alerts or AlertRules()
        self.may_send = may_send
        self._ticking = asyncio.Lock()

    async def tick(self, now: dt.datetime | None = None) -> tuple[PlanReport, SendReport]:
        if not self.may_send() or self._ticking.locked():  # one tick at a time
            return PlanReport(), SendReport()
        async with self._ticking:
            return await self._tick(now)

    async def _tick(self, now: dt.datetime | None) -> tuple[PlanReport, SendReport]:
        now = now or dt.datetime.now(dt.UTC)
        # Alerts first: a story sent as an alert is then never in a digest.
        await asyncio.to_thread(plan_alerts, self.engine, now, rules=self.alerts,
                                names=self.names)  # fmt: skip
        planned = await asyncio.to_thread(
            plan_digests, self.engine, now, grace=self.grace, names=self.names
        )
        sent = await self.courier.send_unsent()
        if planned.planned or sent.sent or sent.gone or sent.failed or sent.unconfirmed:
            log.info(
                "delivery tick planned=%d sent=%d unconfirmed=%d gone=%d failed=%d later=%d",
                planned.planned, sent.sent, sent.unconfirmed, sent.gone, sent.failed, sent.later,
            )  # fmt: skip
        return planned, sent
