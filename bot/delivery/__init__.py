"""News out to Telegram: plan what is due into the ledger (plan.py), send it (courier.py),
on a tick (dispatch.py)."""

from bot.delivery.courier import Courier, SendReport
from bot.delivery.dispatch import Dispatcher
from bot.delivery.plan import AlertRules, PlanReport, plan_alerts, plan_answer, plan_digests

__all__ = ["AlertRules", "Courier", "Dispatcher", "PlanReport", "SendReport", "plan_alerts",
           "plan_answer", "plan_digests"]  # fmt: skip
