"""Replies that quote what came from outside."""

from __future__ import annotations

from bot.texts import text


def test_quoted_input_cannot_reverse_the_reply_around_it() -> None:
    said = text("no_such_source", "en", name="evil\u202e)txt.exe\u2066 name\u2069")
    assert said == "No source named “evil)txt.exe name”. See /sources"
    assert (
        text("no_such_source", "ar", name="بي بي سي")
        == "لا يوجد مصدر باسم «بي بي سي». انظر /sources"
    )
