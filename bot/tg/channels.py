"""/channel @name: link a channel, then set it up from this private chat; /channel off."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden

from bot.texts import text
from bot.tg.common import chat_row, user_language
from bot.tg.context import Context
from storage import chats
from storage.db import session

ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def channel(update: Update, context: Context) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    language = user_language(update, context)
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(text("channel_private_only", language))
        return
    own, language = chat_row(update, context)
    target = (context.args or [""])[0]
    if target.lower() == "off":
        _manage(context, chat.id, None)
        await message.reply_text(text("channel_off", language))
        return
    if not target:
        await message.reply_text(text("channel_usage", language))
        return
    try:
        found = await context.bot.get_chat(target if target.startswith("@") else int(target))
        if found.type != ChatType.CHANNEL:
            await message.reply_text(text("channel_not_channel", language))
            return
        me = await context.bot.get_chat_member(found.id, context.bot.id)
    except (BadRequest, Forbidden, ValueError):
        await message.reply_text(text("channel_not_found", language))
        return
    if me.status != ChatMemberStatus.ADMINISTRATOR:
        await message.reply_text(text("channel_bot_not_admin", language))
        return
    try:
        them = await context.bot.get_chat_member(found.id, user.id)
    except (BadRequest, Forbidden):
        them = None
    if them is None or them.status not in ADMINS:
        await message.reply_text(text("channel_user_not_admin", language))
        return
    with session(context.bot_data.engine) as db:
        defaults = chats.ChatDefaults(language=language, timezone=own.timezone,
                                      digest_time=own.digest_time,
                                      next_digest_at=own.next_digest_at)  # fmt: skip
        chats.get_or_create(found.id, kind="channel", title=found.title, defaults=defaults,
                            session=db)  # fmt: skip
    _manage(context, chat.id, found.id)
    await message.reply_text(text("channel_linked", language, title=found.title or target))


def _manage(context: Context, private_id: int, channel_id: int | None) -> None:
    with session(context.bot_data.engine) as db:
        chats.manage(private_id, channel_id, session=db)
