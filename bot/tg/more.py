"""A press on a digest's "more": the next stories of that section, in the same message.

Only a digest message the bot sent to this chat and recorded (its id in the
ledger row the button names) is ever edited: a press on any other message, or
with data we did not make, is answered quietly and changes nothing. What comes
next is what came next in that section the day the digest was planned
(bot/digest/more.py), rendered as of that day, so an old digest never turns into
today's news under its own day's header.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode

from bot.delivery.plan import reader_of
from bot.digest import compose
from bot.digest.more import expanded, grow, sections
from bot.texts import Language, text
from bot.tg import keyboards
from bot.tg.context import Context
from bot.tg.following import redraw
from bot.tg.send import preview
from storage import digests as digest_store
from storage import outgoing as outgoing_store
from storage.db import session
from storage.models import Chat

log = logging.getLogger(__name__)


async def button(update: Update, context: Context) -> None:
    query, chat = update.callback_query, update.effective_chat
    if query is None or query.data is None:
        return
    wanted = keyboards.decode_more(query.data)
    if wanted is None or chat is None or query.message is None:
        await query.answer()
        return
    outgoing_id, index = wanted
    message_id = query.message.message_id
    with session(context.bot_data.engine) as db:
        row = outgoing_store.digest_message(outgoing_id, chat.id, message_id, session=db)
        chat_row = db.get(Chat, chat.id)
        stored = sections(row.sections) if row is not None else []
        if row is None or chat_row is None or not 0 <= index < len(stored):
            log.info("a press on no digest of this chat, ignored chat_id=%s message_id=%s",
                     chat.id, message_id)  # fmt: skip
            await query.answer()
            return
        wanted_ids = [i for s in stored for i in s.next]
        rows = digest_store.stories_by_id(wanted_ids, session=db)
    reader = reader_of(chat_row)
    language: Language = "ar" if reader.language == "ar" else "en"
    names = {slug: (ar, en) for slug, ar, en in context.bot_data.topics}
    blocks = compose.more(rows, reader=reader, now=row.created_at, names=names)
    section = stored[index]
    if not any(i in blocks for i in section.next[section.shown :]):
        await query.answer(text("more_none", language))
        return
    grown = grow(row.text, stored, index, blocks)
    if grown is None:
        await query.answer(text("more_full", language))
        return
    await query.answer()
    await redraw(context.bot.edit_message_text(
        expanded(row.text, grown, blocks), chat_id=row.chat_id, message_id=message_id,
        parse_mode=ParseMode.HTML, link_preview_options=preview(row.preview_url),
        reply_markup=keyboards.more(outgoing_id, grown, reader.language),
    ))  # fmt: skip
    added = [i for i in grown[index].next[section.shown : grown[index].shown] if i in blocks]
    with session(context.bot_data.engine) as db:
        outgoing_store.show_more(outgoing_id, [s.as_json() for s in grown], added, session=db)
