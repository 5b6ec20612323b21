"""Commands. Each handler is named after its command; app.py holds the routing table."""

from __future__ import annotations

import logging

from telegram import Update

from bot.texts import text
from bot.tg import following
from bot.tg.common import chat_row, user_language
from bot.tg.context import Context
from bot.wire import Unconfirmed
from storage import chats, outgoing
from storage.db import session

log = logging.getLogger(__name__)


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
    _, language = chat_row(update, context)
    user = update.effective_user
    name = user.first_name if user else ""
    await message.reply_text(text("welcome", language, name=name))
    await following.send_picker(update, context)


async def migrated(update: Update, context: Context) -> None:
    """A group became a supergroup: its settings move to the new chat id."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    with session(context.bot_data.engine) as db:
        chats.migrate(message.chat_id, message.migrate_to_chat_id, session=db)
    log.info("chat migrated chat_id=%s new_chat_id=%s", message.chat_id,
             message.migrate_to_chat_id)  # fmt: skip


async def help(update: Update, context: Context) -> None:
    if update.effective_message:
        await update.effective_message.reply_text(text("help", user_language(update, context)))


async def unknown(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].split("@")[0]
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
