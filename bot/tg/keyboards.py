"""Inline keyboards and their callback data (at most 64 bytes). Pure.

Callback data: "t:<page>:<slug>" toggles a topic (and redraws that page),
"p:<page>" turns the page, "w:<page>" turns /mytopics' page of keywords,
"n:<ar|en|ar,en>" chooses the news languages, "d:<outgoing id>:<section>" shows
more of a digest's section (bot/tg/more.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Language, text

PAGE_SIZE = 10
MAX_DATA = 64
NEWS_LANGUAGES = ("ar", "en", "ar,en")
_MORE = re.compile(r"d:(\d{1,18}):(\d{1,3})", re.ASCII)
MAX_LABEL = 40  # characters of a button's words: a topic's name or a keyword is cut


@dataclass(frozen=True)
class Press:
    action: str  # toggle | page | words
    page: int
    slug: str = ""


def topics(
    choices: list[tuple[str, str]], followed: set[str], *, page: int = 0
) -> InlineKeyboardMarkup:
    """Two topics a row, a mark on followed ones, and page buttons when there are more."""
    pages = max(1, -(-len(choices) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = choices[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    buttons = [
        InlineKeyboardButton(("✅ " if slug in followed else "") + name,
                             callback_data=encode(Press("toggle", page, slug)))
        for slug, name in shown
    ]  # fmt: skip
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    turns = []
    if page > 0:
        turns.append(InlineKeyboardButton("◀", callback_data=encode(Press("page", page - 1))))
    if page < pages - 1:
        turns.append(InlineKeyboardButton("▶", callback_data=encode(Press("page", page + 1))))
    if turns:
        rows.append(turns)
    return InlineKeyboardMarkup(rows)


def word_pages(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ ▶ under /mytopics when the keywords take more than one page."""
    turns = []
    if page > 0:
        turns.append(InlineKeyboardButton("◀", callback_data=encode(Press("words", page - 1))))
    if page < pages - 1:
        turns.append(InlineKeyboardButton("▶", callback_data=encode(Press("words", page + 1))))
    return InlineKeyboardMarkup([turns]) if turns else None


def encode(press: Press) -> str:
    if press.action == "toggle":
        data = f"t:{press.page}:{press.slug}"
    else:
        data = f"{'w' if press.action == 'words' else 'p'}:{press.page}"
    if len(data.encode("utf-8")) > MAX_DATA:
        raise ValueError(f"callback data over {MAX_DATA} bytes: {data!r}")
    return data


def decode(data: str) -> Press | None:
    """The press a button's data stands for, or None for data we did not make."""
    parts = data.split(":", 2)
    try:
        if parts[0] == "t" and len(parts) == 3 and parts[2]:
            return Press("toggle", int(parts[1]), parts[2])
        if parts[0] in ("p", "w") and len(parts) == 2:
            return Press("page" if parts[0] == "p" else "words", int(parts[1]))
    except ValueError:
        return None
    return None


def news_languages(current: str, language: Language) -> InlineKeyboardMarkup:
    """Arabic, English or both, a mark on the chat's choice."""
    buttons = [
        InlineKeyboardButton(("✅ " if choice == current else "")
                             + text(f"news_in_{choice.replace(',', '_')}", language),
                             callback_data=f"n:{choice}")
        for choice in NEWS_LANGUAGES
    ]  # fmt: skip
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


def decode_news_languages(data: str) -> str | None:
    kind, _, choice = data.partition(":")
    return choice if kind == "n" and choice in NEWS_LANGUAGES else None


def more(outgoing_id: int, sections: list[Any], language: str) -> InlineKeyboardMarkup | None:
    """A "more" button for each section of a digest message that has more to show (two
    a row); None when none has. `sections`: bot.digest.more.Section."""
    lang: Language = "ar" if language == "ar" else "en"
    buttons = []
    for index, section in enumerate(sections):
        if section.remaining:
            title = section.title if len(section.title) <= MAX_LABEL else (
                section.title[: MAX_LABEL - 1] + "…")  # fmt: skip
            data = f"d:{outgoing_id}:{index}"
            if len(data.encode("utf-8")) > MAX_DATA:
                raise ValueError(f"callback data over {MAX_DATA} bytes: {data!r}")
            buttons.append(InlineKeyboardButton(text("more_button", lang, topic=title),
                                                callback_data=data))  # fmt: skip
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def decode_more(data: str) -> tuple[int, int] | None:
    """(outgoing id, section) of a "more" press, or None for data we did not make."""
    match = _MORE.fullmatch(data)
    return (int(match[1]), int(match[2])) if match else None
