"""/time, /timezone, /language, /languages, /pictures...: the chat's own settings."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.digest.coverage import news_languages, parse_languages
from bot.digest.schedule import next_due
from bot.texts import text
from bot.tg import keyboards
from bot.tg.common import chat_row, may_change
from bot.tg.context import Context
from bot.tg.following import redraw
from bot.tg.parse import parse_time, parse_zone, why_not_zone
from storage import sources as source_store
from storage.db import session
from storage.models import Chat


async def time(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = " ".join(context.args or [])
    when = parse_time(given)
    if when is None:
        await message.reply_text(text("time_usage", language, given=given[:40]))
        return
    _save(context, row.id, digest_time=when.strftime("%H:%M"))
    await message.reply_text(
        text("time_set", language, time=when.strftime("%H:%M"), zone=row.timezone)
    )


async def timezone(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = " ".join(context.args or [])
    zone = parse_zone(given)
    if zone is None:
        key = {"offset_range": "zone_offset_range", "offset_minutes": "zone_offset_minutes"}
        why = key.get(why_not_zone(given), "zone_usage")
        await message.reply_text(text(why, language, given=given[:40]))
        return
    _save(context, row.id, timezone=zone)
    await message.reply_text(text("zone_set", language, zone=zone, time=row.digest_time))


async def language(update: Update, context: Context) -> None:
    row, current = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, current):
        return
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("ar", "en"):
        await message.reply_text(text("language_usage", current))
        return
    _save(context, row.id, language=wanted)
    await message.reply_text(text("language_set", wanted))  # type: ignore[arg-type]


async def languages(update: Update, context: Context) -> None:
    """/languages ar|en|both: the languages of the news (buttons without a choice)."""
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    wanted = parse_languages(" ".join(context.args or []))
    if wanted is None:
        current = ",".join(sorted(news_languages(row.news_languages, row.language)))
        await message.reply_text(
            text("news_languages_usage", language),
            reply_markup=keyboards.news_languages(current, language),
        )
        return  # fmt: skip
    _save(context, row.id, news_languages=wanted)
    await message.reply_text(text(f"news_languages_set_{wanted.replace(',', '_')}", language))


async def languages_button(update: Update, context: Context) -> None:
    """A press on the news-language buttons (under /start's welcome, or /languages): the
    choice is saved and the buttons marked in place. Data we did not make is answered
    and otherwise ignored; so is a press by someone who may not change the settings."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    wanted = keyboards.decode_news_languages(query.data)
    row, language = chat_row(update, context)
    if wanted is None:
        await query.answer()
        return
    if not await may_change(update, context, language):
        return
    _save(context, row.id, news_languages=wanted)
    await query.answer(text(f"news_languages_set_{wanted.replace(',', '_')}", language))
    await redraw(query.edit_message_reply_markup(
        reply_markup=keyboards.news_languages(wanted, language)))  # fmt: skip


async def pictures(update: Update, context: Context) -> None:
    """/pictures on|off: the top story's picture above the digest, or none."""
    await _on_off(update, context, "pictures")


async def alerts(update: Update, context: Context) -> None:
    """/alerts on|off: breaking stories on followed topics, or none."""
    await _on_off(update, context, "alerts")


async def _on_off(update: Update, context: Context, setting: str) -> None:
    """A chat setting turned on or off by `/<setting> on|off`; texts `<setting>_usage`,
    `<setting>_on` and `<setting>_off` answer."""
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("on", "off"):
        await message.reply_text(text(f"{setting}_usage", language))
        return
    _save(context, row.id, **{setting: wanted == "on"})
    await message.reply_text(text(f"{setting}_{wanted}", language))


async def quiet(update: Update, context: Context) -> None:
    """/quiet 23:00-07:00 (or 23-7, ١١م-٧ص) or /quiet off."""
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = " ".join(context.args or []).strip()
    if given.lower() in ("off", "none", "لا"):
        _save(context, row.id, quiet_start=None, quiet_end=None)
        await message.reply_text(text("quiet_off", language))
        return
    parts = [p.strip() for p in given.replace("–", "-").split("-")]
    times = [parse_time(p) for p in parts] if len(parts) == 2 else []
    if len(times) != 2 or None in times or times[0] == times[1]:
        await message.reply_text(text("quiet_usage", language))
        return
    start, end = (t.strftime("%H:%M") for t in times if t is not None)
    _save(context, row.id, quiet_start=start, quiet_end=end)
    await message.reply_text(text("quiet_set", language, start=start, end=end))


async def mute(update: Update, context: Context) -> None:
    await _mute(update, context, muted=True)


async def unmute(update: Update, context: Context) -> None:
    await _mute(update, context, muted=False)


async def _mute(update: Update, context: Context, *, muted: bool) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    given = " ".join(context.args or []).strip().lower()
    with session(context.bot_data.engine) as db:
        names = {s.source.name.lower(): s.source.name
                 for s in source_store.list_with_health(session=db)}  # fmt: skip
        chat = db.get(Chat, row.id)
        name = names.get(given)
        if chat is None or name is None:
            await message.reply_text(text("mute_usage", language))
            return
        current = [n for n in chat.muted if n != name]
        chat.muted = [*current, name] if muted else current
        db.add(chat)
    await message.reply_text(text("muted" if muted else "unmuted", language, source=name))


async def ifempty(update: Update, context: Context) -> None:
    """/ifempty line|nothing: what a digest with nothing new looks like."""
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("line", "nothing"):
        await message.reply_text(text("empty_usage", language))
        return
    _save(context, row.id, empty_line=wanted == "line")
    how = text("empty_line" if wanted == "line" else "empty_nothing", language)
    await message.reply_text(text("empty_set", language, how=how))


async def pause(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    _save(context, row.id, paused=True)
    await message.reply_text(text("paused", language))


async def resume(update: Update, context: Context) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None or not await may_change(update, context, language):
        return
    _save(context, row.id, paused=False)  # the next digest from now, none "missed"
    await message.reply_text(text("resumed", language, time=row.digest_time, zone=row.timezone))


def _save(context: Context, chat_id: int, **changes: str | bool | None) -> None:
    """Stores the change and moves the next digest to the new local time."""
    with session(context.bot_data.engine) as db:
        chat = db.get(Chat, chat_id)
        if chat is None:
            return
        for name, value in changes.items():
            setattr(chat, name, value)
        hour, minute = (int(part) for part in chat.digest_time.split(":"))
        chat.next_digest_at = next_due(dt.time(hour, minute), chat.timezone,
                                       dt.datetime.now(dt.UTC))  # fmt: skip
        db.add(chat)
