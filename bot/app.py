"""build_application(): the Telegram application with its handler and job tables."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from telegram import BotCommand
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.texts import Language, text
from bot.tg import handlers
from bot.tg.context import BotData

COMMANDS = ("start", "help")  # shown in Telegram's menu, in this order


def build_application(settings: Settings, engine: Engine) -> Application:  # type: ignore[type-arg]
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base_url = settings.telegram_api_base_url
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(base_url)
        .base_file_url(_file_url(base_url))
        .context_types(ContextTypes(bot_data=BotData))
        .post_init(_announce_commands)
        .build()
    )
    bot_data: BotData = application.bot_data
    bot_data.settings = settings
    bot_data.engine = engine

    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help))
    # Last in the group, so it only sees commands no handler above took.
    application.add_handler(MessageHandler(filters.COMMAND, handlers.unknown))
    application.add_error_handler(handlers.on_error)
    return application


async def _announce_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu in Telegram, in Arabic and English and a default."""
    for language in ("ar", "en"):
        lang: Language = language
        await application.bot.set_my_commands(
            [BotCommand(name, text(f"cmd_{name}", lang)) for name in COMMANDS],
            language_code=language,
        )
    settings: Settings = application.bot_data.settings
    await application.bot.set_my_commands(
        [BotCommand(name, text(f"cmd_{name}", settings.default_language)) for name in COMMANDS]
    )


def _file_url(base_url: str) -> str:
    """Telegram's file URL beside its API URL: https://host/bot -> https://host/file/bot."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"
