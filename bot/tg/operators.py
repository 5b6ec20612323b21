"""/stats for the operators (ADMIN_IDS), and /sources for everyone."""

from __future__ import annotations

import dataclasses
import datetime as dt

from telegram import Update

from bot.texts import text
from bot.tg.common import chat_row
from bot.tg.context import Context
from storage import sources as source_store
from storage import stats as stats_store
from storage.db import session


async def stats(update: Update, context: Context) -> None:
    _, language = chat_row(update, context)
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    if user is None or user.id not in context.bot_data.settings.admin_ids:
        await message.reply_text(text("operators_only", language))
        return
    with session(context.bot_data.engine) as db:
        figures = stats_store.gather(dt.datetime.now(dt.UTC), session=db)
    await message.reply_text(text("stats", language, **dataclasses.asdict(figures)))


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
