"""The typed context handlers get: `context.bot_data` holds settings and the engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import Engine
from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings
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


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
