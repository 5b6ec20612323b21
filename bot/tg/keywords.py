"""What /follow takes as a keyword, and what it refuses. Pure.

A keyword is one phrase (a name, a few words); a story matches it when it holds the
stem of every word (bot.digest.select), so a long phrase is cut to MAX_WORDS words and
MAX_CHARS characters, and the chat is told. Refused, since they can never match: a
phrase with control characters (no story holds them), and one with no word left once
emoji, signs and stop words ("the", "في") are set aside. A chat follows at most
MAX_KEYWORDS: every one is looked for in every story of a digest, and /mytopics pages
them PAGE_SIZE at a time.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.language import stems

MAX_WORDS = 8
MAX_CHARS = 80
MAX_KEYWORDS = 50
PAGE_SIZE = 20


@dataclass(frozen=True)
class Phrase:
    text: str
    cut: bool  # longer than a keyword may be; `text` is its beginning


def phrase(words: list[str]) -> Phrase:
    """The words given, spaced once, cut at a word to MAX_WORDS and MAX_CHARS."""
    given = " ".join(" ".join(words).split())
    kept = given.split(" ")[:MAX_WORDS]
    while len(" ".join(kept)) > MAX_CHARS and len(kept) > 1:
        kept.pop()
    text = " ".join(kept)[:MAX_CHARS]
    return Phrase(text, text != given)


def refusal(text: str) -> str | None:
    """Why the phrase can never match a story ("control", "no_words"), or None."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        return "control"
    if not stems(text):
        return "no_words"
    return None


def legacy(words: list[str]) -> str:
    """A keyword as /follow stored it before phrases were cut at a word."""
    return " ".join(" ".join(words).split())[:MAX_CHARS]
