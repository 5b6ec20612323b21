"""The typed context handlers get: `context.bot_data` holds settings and the engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from telegram.ext import CallbackContext, ExtBot

from bot.config import Settings


class BotData:
    """Created empty by python-telegram-bot; filled once by app.build_application."""

    settings: Settings
    engine: Engine
    topics: list[tuple[str, str, str]]  # the catalog's (slug, Arabic name, English name)


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
