"""build_application(): the Telegram application with its handler and job tables."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable

import httpx
from sqlalchemy.engine import Engine
from telegram import Bot, BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import jobs
from bot.catalog import load_topics
from bot.config import Settings
from bot.curation.abstractive import Summarizer
from bot.curation.embed import Bundled, Off, make_embedder
from bot.delivery import AlertRules, Dispatcher
from bot.ingest.discover import DiscoverError, discover_source
from bot.ingest.fetch import FetchError, make_client
from bot.ingest.pipeline import Pipeline
from bot.retention import PRUNE_TICK_SECONDS, Retention
from bot.texts import Language, text
from bot.tg import channels, following, handlers, more, operators, preferences, reading
from bot.tg.context import BotData, SourceNotFound
from bot.tg.limits import Limiter, Limits
from bot.tg.order import PerChatOrder
from bot.tg.replies import WaitOutFloodControl
from bot.tg.send import Sender
from bot.tg.witness import Witness
from bot.wire import telegram_request
from storage.models import Source

# Shown in Telegram's menu, in this order.
COMMANDS = ("start", "topics", "news", "digest", "search", "follow", "unfollow", "mytopics",
            "time", "timezone", "alerts", "quiet", "language", "languages", "pictures",
            "pause", "resume", "sources", "mute", "unmute", "ifempty", "channel",
            "help")  # fmt: skip


def build_application(settings: Settings, engine: Engine) -> Application:  # type: ignore[type-arg]
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base_url = settings.telegram_api_base_url
    timeout = settings.telegram_timeout_seconds
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(base_url)
        .base_file_url(_file_url(base_url))
        .request(telegram_request(timeout=timeout))
        # Long polls wait up to their own timeout on top of this one.
        .get_updates_request(telegram_request(timeout=timeout, connections=2))
        .context_types(ContextTypes(bot_data=BotData))
        .rate_limiter(WaitOutFloodControl())
        .concurrent_updates(PerChatOrder())
        .post_init(_start)
        .post_shutdown(_stop)
        .build()
    )
    bot_data: BotData = application.bot_data
    bot_data.settings = settings
    bot_data.engine = engine
    bot_data.dispatcher = _dispatcher(settings, engine, bot_data)
    bot_data.courier = bot_data.dispatcher.courier
    bot_data.embedder = Off()  # until _start makes the one the settings ask for
    # The sender's own connections, closed whether or not its Bot was initialized
    # (Bot.shutdown does nothing for one that was not: the demo's, a run stopped early).
    bot_data.closing = [bot_data.dispatcher.courier.sender.bot.request.shutdown]  # by _stop
    bot_data.topics = [(t.slug, t.name_ar, t.name_en) for t in load_topics(settings.topics_path)
                       if t.enabled]  # fmt: skip

    application.add_handler(TypeHandler(Update, handlers.revive), group=-1)
    table = {
        "start": handlers.start, "help": handlers.help, "topics": following.topics,
        "follow": following.follow, "unfollow": following.unfollow,
        "mytopics": following.mytopics, "news": reading.news, "digest": reading.digest,
        "search": reading.search,
        "time": preferences.time, "timezone": preferences.timezone,
        "language": preferences.language, "pause": preferences.pause,
        "resume": preferences.resume, "alerts": preferences.alerts,
        "quiet": preferences.quiet, "stats": operators.stats, "sources": operators.sources,
        "removesource": operators.remove_source,
        "channel": channels.channel, "mute": preferences.mute, "unmute": preferences.unmute,
        "ifempty": preferences.ifempty, "languages": preferences.languages,
        "pictures": preferences.pictures,
    }  # fmt: skip
    for command, callback in table.items():
        application.add_handler(CommandHandler(command, callback))
    # Finding a site's feed can take several fetches; everyone else is answered meanwhile.
    application.add_handler(CommandHandler("addsource", operators.add_source, block=False))
    application.add_handler(CallbackQueryHandler(preferences.languages_button, pattern=r"^n:"))
    application.add_handler(CallbackQueryHandler(more.button, pattern=r"^d:"))
    application.add_handler(CallbackQueryHandler(following.button))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.migrated))
    application.add_handler(
        ChatMemberHandler(handlers.membership, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    # Last in the group, so it only sees commands no handler above took.
    application.add_handler(MessageHandler(filters.COMMAND, handlers.unknown))
    application.add_error_handler(handlers.on_error)
    return application


async def _start(application: Application) -> None:  # type: ignore[type-arg]
    """Once the bot is up: its command menu, and the scheduler's jobs."""
    await _announce_commands(application)
    bot_data: BotData = application.bot_data
    client = make_client(bot_data.settings)
    summarizer = Summarizer(bot_data.settings)
    embedder = make_embedder(bot_data.settings)
    if isinstance(embedder, Bundled):  # its weights load meanwhile; the bot answers
        bot_data.loading = asyncio.create_task(asyncio.to_thread(embedder.load))
    bot_data.embedder = embedder
    application.bot_data.closing.append(embedder.aclose)
    application.bot_data.closing += [client.aclose, summarizer.aclose]  # run by _stop
    pipeline = Pipeline(bot_data.settings, bot_data.engine, client, summarizer=summarizer,
                        embedder=embedder)  # fmt: skip
    application.bot_data.closing.insert(0, pipeline.aclose)  # its polls stop first
    bot_data.find_source = _source_finder(client, bot_data.settings)
    assert application.job_queue is not None, "python-telegram-bot[job-queue] is required"
    application.job_queue.run_repeating(
        jobs.poll_sources, interval=jobs.POLL_TICK_SECONDS, first=1, data=pipeline,
        name="poll_sources", job_kwargs={"max_instances": 1, "coalesce": True},
    )  # fmt: skip
    await bot_data.dispatcher.courier.sender.bot.initialize()
    settings = bot_data.settings
    application.job_queue.run_repeating(
        jobs.deliver, interval=jobs.DELIVERY_TICK_SECONDS, first=2, data=bot_data.dispatcher,
        name="deliver", job_kwargs={"max_instances": 1, "coalesce": True},
    )  # fmt: skip
    if settings.keep_news_days:
        application.job_queue.run_repeating(
            jobs.prune_old_news, interval=PRUNE_TICK_SECONDS, first=60,
            data=Retention(bot_data.engine, settings.keep_news_days),
            name="prune_old_news", job_kwargs={"max_instances": 1, "coalesce": True},
        )  # fmt: skip


def _dispatcher(settings: Settings, engine: Engine, bot_data: BotData) -> Dispatcher:
    """Delivery: the ledger's messages sent at Telegram's limits, by this process only
    while it holds the Telegram lease (bot_data.may_send)."""
    assert settings.telegram_bot_token is not None
    limits = Limits(settings.send_per_second, settings.send_private_per_second,
                    settings.send_group_per_minute)  # fmt: skip
    names = {t.slug: (t.name_ar, t.name_en) for t in load_topics(settings.topics_path)
             if t.enabled}  # fmt: skip
    # The Sender keeps Telegram's limits itself, so it gets a Bot of its own without
    # the replies' retry-on-429 (which would hide the 429s it paces by).
    sender_bot = Bot(
        settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_api_base_url,
        base_file_url=_file_url(settings.telegram_api_base_url),
        request=telegram_request(timeout=settings.telegram_timeout_seconds),
    )  # fmt: skip
    archive = settings.telegram_archive_chat
    return Dispatcher(
        engine, Sender(sender_bot, Limiter(limits)),
        witness=Witness(sender_bot, archive) if archive is not None else None,
        grace=dt.timedelta(hours=settings.digest_grace_hours), names=names,
        alerts=AlertRules(settings.alert_min_sources,
                          dt.timedelta(minutes=settings.alert_within_minutes),
                          settings.alert_max_per_hour),
        may_send=bot_data.may_send,
    )  # fmt: skip


async def _stop(application: Application) -> None:  # type: ignore[type-arg]
    loading = getattr(application.bot_data, "loading", None)
    if loading is not None:  # a thread cannot be stopped: let the model finish loading
        await asyncio.wait([loading], timeout=10)
    for close in getattr(application.bot_data, "closing", []):
        await close()


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


def _source_finder(
    client: httpx.AsyncClient, settings: Settings
) -> Callable[[str], Awaitable[Source]]:
    async def find(url: str) -> Source:
        try:
            return await discover_source(client, url, settings, origin="chat")
        except (FetchError, DiscoverError) as error:
            raise SourceNotFound(
                error.reason, str(error), getattr(error, "status", None)
            ) from error

    return find


def _file_url(base_url: str) -> str:
    """Telegram's file URL beside its API URL: https://host/bot -> https://host/file/bot."""
    head, _, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}"
