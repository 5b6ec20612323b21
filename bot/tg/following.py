"""/topics (and its buttons), /follow, /unfollow, /mytopics."""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Update
from telegram.error import BadRequest

from bot.texts import Language, text
from bot.tg import keyboards
from bot.tg.common import chat_row, may_change, topic_name
from bot.tg.context import Context
from storage import subscriptions
from storage.db import session


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
    if not await may_change(update, context, language):
        await query.answer()
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


def _words(context: Context) -> str:
    return " ".join(" ".join(context.args or []).split())[:80]


async def follow(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    keyword = _words(context)
    if not keyword:
        await message.reply_text(text("follow_usage", language))
        return
    with session(context.bot_data.engine) as db:
        added = subscriptions.follow_keyword(row.id, keyword, session=db)
    await message.reply_text(
        text("keyword_followed" if added else "keyword_known", language, keyword=keyword)
    )


async def unfollow(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    keyword = _words(context)
    if not keyword:
        await message.reply_text(text("follow_usage", language))
        return
    with session(context.bot_data.engine) as db:
        removed = subscriptions.unfollow_keyword(row.id, keyword, session=db)
    await message.reply_text(
        text("keyword_unfollowed" if removed else "keyword_unknown", language, keyword=keyword)
    )


async def mytopics(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    with session(context.bot_data.engine) as db:
        followed = sorted(subscriptions.topic_slugs(row.id, session=db))
        words = subscriptions.keywords(row.id, session=db)
    none = text("none", language)
    separator = "، " if language == "ar" else ", "
    names = separator.join(topic_name(s, context, language) for s in followed) or none
    if update.effective_message:
        await update.effective_message.reply_text(text(
            "mytopics", language, topics=names, keywords=separator.join(words) or none,
            time=row.digest_time, zone=row.timezone,
        ))  # fmt: skip
