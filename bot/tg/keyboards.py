"""Inline keyboards and their callback data (at most 64 bytes). Pure.

Callback data: "t:<page>:<slug>" toggles a topic (and redraws that page),
"p:<page>" turns the page, "w:<page>" turns /mytopics' page of keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

PAGE_SIZE = 10
MAX_DATA = 64


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
