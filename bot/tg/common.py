"""What the chat handlers share: the chat's row and language, and who may change settings."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden

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
    """Whether this update may change the settings, asked at every change: in a group
    only its admins may (an anonymous admin writes as the group itself); from a private
    chat that manages a channel, only while its user is still an admin of the channel
    (one who left or was demoted loses the link). Whoever may not is told so, by a reply,
    or for a press in a group a popup only they see (a refused press is answered here)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return True
    if chat.type == ChatType.PRIVATE:
        channel = _managed_channel(context, chat.id)
        if channel is None or (user is not None and await is_admin(context, channel.id, user.id)):
            return True
        with session(context.bot_data.engine) as db:
            chats.manage(chat.id, None, session=db)
        log.info("channel unlinked, no longer an admin chat_id=%s channel_id=%s", chat.id,
                 channel.id)  # fmt: skip
        refusal = text("channel_rights_lost", language, title=channel.title or str(channel.id))
    else:
        if message is not None and message.sender_chat is not None:
            if message.sender_chat.id == chat.id:
                return True
        elif user is not None and await is_admin(context, chat.id, user.id):
            return True
        refusal = text("admins_only", language)
    query = update.callback_query
    if query is not None and chat.type != ChatType.PRIVATE:
        # A member's press in a group: told to them alone, not posted to everyone there.
        await query.answer(refusal, show_alert=True)
        return False
    if query is not None:
        await query.answer()
    if message is not None:
        await message.reply_text(refusal)
    return False


async def is_admin(context: Context, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says the user is the chat's owner or one of its admins now."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):  # not a member at all, or the bot is no longer there
        return False
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


def _managed_channel(context: Context, private_id: int) -> Chat | None:
    with session(context.bot_data.engine) as db:
        row = db.get(Chat, private_id)
        return db.get(Chat, row.manages) if row is not None and row.manages else None


def topic_name(slug: str, context: Context, language: Language) -> str:
    for known, name_ar, name_en in context.bot_data.topics:
        if known == slug:
            return str(name_ar if language == "ar" else name_en)
    return slug
