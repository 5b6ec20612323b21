"""Commands. Each handler is named after its command; app.py holds the routing table."""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus

from bot.digest.coverage import news_languages
from bot.digest.schedule import next_due
from bot.texts import text
from bot.tg import following, keyboards
from bot.tg.common import chat_row, user_language
from bot.tg.context import Context
from bot.wire import Unconfirmed
from storage import chats, outgoing
from storage.db import session
from storage.models import Chat

log = logging.getLogger(__name__)
_PRESENT = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def revive(update: Update, context: Context) -> None:
    """Runs before every handler: a chat we had marked gone (it blocked us) that writes
    again is active again; and its newest message id is noted (where to start reading
    the chat after a crash, see bot/tg/witness.py)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    with session(context.bot_data.engine) as db:
        if chats.revive(chat.id, session=db):
            log.info("chat active again chat_id=%s", chat.id)
        if update.message is not None or update.channel_post is not None:
            outgoing.saw(chat.id, message.message_id, session=db)


async def start(update: Update, context: Context) -> None:
    message = update.effective_message
    if update.effective_chat is None or message is None:
        return
    row, language = chat_row(update, context)
    user = update.effective_user
    name = user.first_name if user else ""
    current = ",".join(sorted(news_languages(row.news_languages, row.language)))
    await message.reply_text(
        text("welcome", language, name=name) + "\n\n" + text("news_languages_pick", language),
        reply_markup=keyboards.news_languages(current, language),
    )
    await following.send_picker(update, context)


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its settings move to the new chat id.

    Telegram says so in both chats: migrate_to_chat_id in the old group, and
    migrate_from_chat_id as the new supergroup's first message. Either may come first
    (updates of two chats are not ordered between them), and the supergroup may be used
    before the old group's message comes: the first of the two moves the settings, or
    merges them into the supergroup's row if it was made meanwhile (chats.migrate), and
    the second finds nothing left to move. Only one row is left: one digest a day.
    """
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    with session(context.bot_data.engine) as db:
        moved = chats.migrate(old, new, session=db)
    if moved:
        log.info("chat migrated chat_id=%s new_chat_id=%s", old, new)


async def membership(update: Update, context: Context) -> None:
    """The bot was removed from a chat or added back (my_chat_member; in a private chat,
    the user blocked or unblocked it). Removed: inactive, nothing more is sent. Added
    back: active again at once, with its settings, the next digest at its usual time
    from now (none "missed" while it was out)."""
    change = update.my_chat_member
    if change is None:
        return
    member = change.new_chat_member
    status = member.status
    present = status in _PRESENT or (
        status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))
    )
    chat = change.chat
    with session(context.bot_data.engine) as db:
        if not present:
            outgoing.chat_gone(chat.id, f"the bot's status there is now {status}", session=db)
            log.info("bot removed chat_id=%s status=%s", chat.id, status)
            return
        row = db.get(Chat, chat.id)
        if row is None:  # a chat new to us: its row comes with its first command, as ever
            return
        hour, minute = (int(part) for part in row.digest_time.split(":"))
        row.next_digest_at = next_due(dt.time(hour, minute), row.timezone,
                                      dt.datetime.now(dt.UTC))  # fmt: skip
        row.active = True
        db.add(row)
    log.info("bot added back chat_id=%s status=%s", chat.id, status)


async def help(update: Update, context: Context) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(text("help", user_language(update, context)))


async def unknown(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command, _, addressee = message.text.split()[0].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # /help@other_bot in a group: for another bot, not ours to answer
    await message.reply_text(
        text("unknown_command", user_language(update, context), command=command)
    )


async def on_error(update: object, context: Context) -> None:
    """Logs the failure with its chat and tells the user, in one short line; but not
    when the failure is an answer that went out whole and got no reply from Telegram:
    the user most likely has it, and an error line after it would be wrong."""
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(context.error, Unconfirmed):
        log.warning("an answer went out and Telegram did not confirm it chat_id=%s",
                    chat.id if chat else None)  # fmt: skip
        return
    log.error("handler failed chat_id=%s", chat.id if chat else None, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        await update.effective_message.reply_text(text("error", user_language(update, context)))
