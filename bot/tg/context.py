"""The typed context handlers get: `context.bot_data` holds settings and the engine."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Engine
from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
from bot.curation.embed import Embedder
from bot.delivery.courier import Courier
from bot.delivery.dispatch import Dispatcher
from bot.leader import Leader
from storage.models import Source


class SourceNotFound(LookupError):
    """Why a URL gave no source: `reason` says which kind of failure (the chat shows
    it in its language), str() the detail in English, `status` the HTTP status if any."""

    def __init__(self, reason: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.reason = reason
        self.status = status


class BotData:
    """Created empty by python-telegram-bot; filled once by app.build_application."""

    settings: Settings
    engine: Engine
    topics: list[tuple[str, str, str]]  # the catalog's (slug, Arabic name, English name)
    # URL -> the source behind it, not yet stored; raises SourceNotFound saying why not.
    # Set by app at start-up, so handlers reach the network without importing it.
    find_source: Callable[[str], Awaitable[Source]]
    # Plans and sends digests and alerts; its courier sends answers to /digest too.
    dispatcher: Dispatcher
    courier: Courier
    closing: list[Callable[[], Awaitable[None]]]  # run at shutdown
    # What texts mean (search by meaning, /stats), set at start-up; loading: its weights.
    embedder: Embedder
    loading: asyncio.Task[bool] | None = None
    # Set by bot.serve when several processes may share the database: this one sends
    # only while it holds the Telegram lease. None (tests, the demo): it always does.
    leader: Leader | None = None

    def may_send(self) -> bool:
        return self.leader is None or self.leader.held()


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
