"""What the chat handlers share: the chat's row and language, and who may change settings."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.digest.schedule import next_due
from bot.texts import Language, language_for, text
from bot.tg.context import Context
from storage import chats
from storage.db import session
from storage.models import Chat

log = logging.getLogger(__name__)


def user_language(update: Update, context: Context) -> Language:
    user = update.effective_user
    return language_for(user.language_code if user else None,
                        context.bot_data.settings.default_language)  # fmt: skip


def chat_row(update: Update, context: Context) -> tuple[Chat, Language]:
    """The chat's row (made on first contact) and the language to answer in."""
    chat = update.effective_chat
    assert chat is not None
    settings = context.bot_data.settings
    language = user_language(update, context)
    defaults = chats.ChatDefaults(
        language=language,
        timezone=settings.default_timezone,
        digest_time=settings.default_digest_time.strftime("%H:%M"),
        next_digest_at=next_due(
            settings.default_digest_time, settings.default_timezone, dt.datetime.now(dt.UTC)
        ),
    )
    message = update.effective_message
    thread = message.message_thread_id if message and message.is_topic_message else None
    with session(context.bot_data.engine) as db:
        row, created = chats.get_or_create(
            chat.id, kind=chat.type, title=chat.title, defaults=defaults, session=db
        )
        if created:
            log.info("new chat chat_id=%s kind=%s", chat.id, chat.type)
        if thread is not None and row.thread_id != thread:
            row.thread_id = thread  # a forum: the digest goes where it was set up
            db.add(row)
        own_language = row.language if row.language in ("ar", "en") else language
        if row.manages is not None:  # set up the linked channel from here
            channel = db.get(Chat, row.manages)
            if channel is not None:
                return channel, own_language  # type: ignore[return-value]
    return row, own_language  # type: ignore[return-value]


async def may_change(update: Update, context: Context, language: Language) -> bool:
    """In a group only its admins change settings; others get a polite refusal."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    if user is not None:
        member = await context.bot.get_chat_member(chat.id, user.id)
        if member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR):
            return True
    if update.effective_message:
        await update.effective_message.reply_text(text("admins_only", language))
    return False


def topic_name(slug: str, context: Context, language: Language) -> str:
    for known, name_ar, name_en in context.bot_data.topics:
        if known == slug:
            return str(name_ar if language == "ar" else name_en)
    return slug
