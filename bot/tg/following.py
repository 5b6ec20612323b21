"""/topics (and its buttons), /follow, /unfollow, /mytopics."""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.texts import Language, text
from bot.tg import keyboards, keywords
from bot.tg.common import chat_row, may_change, topic_name
from bot.tg.context import Context
from storage import subscriptions
from storage.db import session
from storage.models import Chat


def _choices(context: Context, language: Language) -> list[tuple[str, str]]:
    return [(slug, ar if language == "ar" else en) for slug, ar, en in context.bot_data.topics]


async def send_picker(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    with session(context.bot_data.engine) as db:
        followed = subscriptions.topic_slugs(row.id, session=db)
    markup = keyboards.topics(_choices(context, language), followed)
    if update.effective_message:
        await update.effective_message.reply_text(
            text("pick_topics", language), reply_markup=markup
        )


async def topics(update: Update, context: Context) -> None:
    _, language = chat_row(update, context)
    if await may_change(update, context, language):
        await send_picker(update, context)


async def button(update: Update, context: Context) -> None:
    """A press on the topic picker: toggles the topic, redraws the keyboard in place.

    Data we did not make (forged, or a topic no longer in the catalog) is answered and
    otherwise ignored; so is a redraw that changes nothing (a double tap on ▶, the page
    already shown): Telegram's "message is not modified" is no error of the user's."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    press = keyboards.decode(query.data)
    known = {slug for slug, _, _ in context.bot_data.topics}
    if press is None or (press.action == "toggle" and press.slug not in known):
        await query.answer()
        return
    row, language = chat_row(update, context)
    if press.action == "words":  # /mytopics' pages: reading, anyone may turn them
        await query.answer()
        shown, markup = _mytopics(row, context, language, page=press.page)
        await redraw(query.edit_message_text(shown, reply_markup=markup))
        return
    if not await may_change(update, context, language):
        return
    note = None
    with session(context.bot_data.engine) as db:
        if press.action == "toggle":
            now_followed = subscriptions.toggle_topic(row.id, press.slug, session=db)
            if now_followed is not None:
                name = topic_name(press.slug, context, language)
                note = text("followed" if now_followed else "unfollowed", language, name=name)
        followed = subscriptions.topic_slugs(row.id, session=db)
    await query.answer(note)
    markup = keyboards.topics(_choices(context, language), followed, page=press.page)
    await redraw(query.edit_message_reply_markup(reply_markup=markup))


async def redraw(edit: Awaitable[object]) -> None:
    """Runs an edit of a message in place; one that would change nothing is no error."""
    try:
        await edit
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def follow(update: Update, context: Context) -> None:
    """/follow WORDS: one phrase, cut when too long, refused when it can never match."""
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = keywords.phrase(context.args or [])
    if not given.text:
        await message.reply_text(text("follow_usage", language))
        return
    shown = "".join(c for c in given.text if unicodedata.category(c) != "Cc")[:80]
    why = keywords.refusal(given.text)
    if why is not None:
        await message.reply_text(text(f"keyword_{why}", language, keyword=shown))
        return
    with session(context.bot_data.engine) as db:
        followed = subscriptions.keywords(row.id, session=db)
        if given.text not in followed and len(followed) >= keywords.MAX_KEYWORDS:
            await message.reply_text(text("keyword_cap", language, count=len(followed)))
            return
        added = subscriptions.follow_keyword(row.id, given.text, session=db)
    key = "keyword_known" if not added else "keyword_cut" if given.cut else "keyword_followed"
    await message.reply_text(text(key, language, keyword=given.text, words=keywords.MAX_WORDS,
                                  chars=keywords.MAX_CHARS))  # fmt: skip


async def unfollow(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = keywords.phrase(context.args or [])
    if not given.text:
        await message.reply_text(text("follow_usage", language))
        return
    legacy = keywords.legacy(context.args or [])
    with session(context.bot_data.engine) as db:
        removed = subscriptions.unfollow_keyword(row.id, given.text, session=db)
        removed = removed or subscriptions.unfollow_keyword(row.id, legacy, session=db)
    key = "keyword_unfollowed" if removed else "keyword_unknown"
    await message.reply_text(text(key, language, keyword=given.text))


async def mytopics(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    if update.effective_message:
        shown, markup = _mytopics(row, context, language, page=0)
        await update.effective_message.reply_text(shown, reply_markup=markup)


def _mytopics(
    row: Chat, context: Context, language: Language, *, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """What the chat follows, its keywords a page at a time (and the buttons to turn)."""
    with session(context.bot_data.engine) as db:
        followed = sorted(subscriptions.topic_slugs(row.id, session=db))
        words = subscriptions.keywords(row.id, session=db)
    none = text("none", language)
    separator = "، " if language == "ar" else ", "
    names = separator.join(topic_name(s, context, language) for s in followed) or none
    pages = max(1, -(-len(words) // keywords.PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = words[page * keywords.PAGE_SIZE : (page + 1) * keywords.PAGE_SIZE]
    listed = separator.join(shown) or none
    if pages > 1:
        listed = text("mytopics_page", language, keywords=listed, count=len(words),
                      first=page * keywords.PAGE_SIZE + 1,
                      last=page * keywords.PAGE_SIZE + len(shown))  # fmt: skip
    reply = text("mytopics", language, topics=names, keywords=listed, time=row.digest_time,
                 zone=row.timezone)  # fmt: skip
    return reply, keyboards.word_pages(page, pages)
