"""/stats, /addsource and /removesource for the operators (ADMIN_IDS); /sources for everyone."""

from __future__ import annotations

import dataclasses
import datetime as dt

from telegram import Update

from bot.texts import Language, text
from bot.tg.common import chat_row
from bot.tg.context import Context, SourceNotFound
from bot.tg.parse import SourceURLError, source_url
from storage import sources as source_store
from storage import stats as stats_store
from storage.db import session


async def stats(update: Update, context: Context) -> None:
    _, language = chat_row(update, context)
    message = update.effective_message
    if message is None:
        return
    if not await _operator(update, context, language):
        return
    with session(context.bot_data.engine) as db:
        figures = stats_store.gather(dt.datetime.now(dt.UTC), session=db)
    meaning = context.bot_data.embedder.status()
    await message.reply_text(
        text("stats", language, meaning=meaning, **dataclasses.asdict(figures))
    )


async def sources(update: Update, context: Context) -> None:
    _, language = chat_row(update, context)
    if update.effective_message is None:
        return
    with session(context.bot_data.engine) as db:
        rows = source_store.list_with_health(session=db)
    lines = [
        f"• {row.source.name} ({row.source.language})"
        for row in rows
        if row.source.enabled and row.source.origin != "removed"
    ]
    await update.effective_message.reply_text(
        text("sources_list", language, sources="\n".join(lines) or "—")
    )


async def add_source(update: Update, context: Context) -> None:
    """/addsource URL: the feed behind the URL (or the page as a listing), polled from now on."""
    _, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await _operator(update, context, language):
        return
    url = " ".join(context.args or []).strip()
    if not url or " " in url:
        await message.reply_text(text("addsource_usage", language))
        return
    try:
        url = source_url(url)
    except SourceURLError as error:
        why = text(f"why_{error.reason}", language)
        await message.reply_text(text("source_not_added", language, url=url[:200], why=why))
        return
    try:
        found = await context.bot_data.find_source(url)
    except SourceNotFound as error:
        why = text(f"why_{error.reason}", language, status=error.status)
        await message.reply_text(text("source_not_added", language, url=url, why=why))
        return
    with session(context.bot_data.engine) as db:
        source, new = source_store.add(found, session=db)
        key = "source_added" if new else "source_exists"
        reply = text(key, language, name=source.name, url=source.url, kind=source.kind)
    await message.reply_text(reply)


async def remove_source(update: Update, context: Context) -> None:
    """/removesource NAME or URL: no longer polled; its articles stay."""
    _, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await _operator(update, context, language):
        return
    which = " ".join(context.args or []).strip()
    if not which:
        await message.reply_text(text("removesource_usage", language))
        return
    with session(context.bot_data.engine) as db:
        source = source_store.remove(which, session=db)
        name = source.name if source is not None else None
    if name is None:
        await message.reply_text(text("no_such_source", language, name=which))
    else:
        await message.reply_text(text("source_removed", language, name=name))


async def _operator(update: Update, context: Context, language: Language) -> bool:
    """True for ADMIN_IDS; anyone else is told the command is not theirs."""
    user, message = update.effective_user, update.effective_message
    if user is not None and user.id in context.bot_data.settings.admin_ids:
        return True
    if message is not None:
        await message.reply_text(text("operators_only", language))
    return False
