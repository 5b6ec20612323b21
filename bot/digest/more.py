"""A digest section's "more": the next stories of its topic, put into the message. Pure.

When a digest is planned, each section (a topic, or a followed keyword) keeps
the stories that came next in it then, best first. Its button puts STEP more of
them at the end of the section, in the same message, as long as the message
stays within Telegram's limits. A digest stays the digest of its day: pressing
"more" under one three days old shows what was next that day, not today's news
under a header that names another day (a story no longer kept is left out).

A section is stored with the message (storage.models.Outgoing.sections) as
{"title", "end", "next", "shown"}: the button's words, where in the message's
HTML the section's stories end, the story ids next then, and how many of them
the message shows now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.digest.render import fits

STEP = 3  # stories one press adds
KEPT = 6  # next stories kept for a section: two presses


@dataclass(frozen=True)
class Section:
    title: str
    end: int
    next: tuple[int, ...]
    shown: int = 0

    @property
    def remaining(self) -> int:
        return max(0, len(self.next) - self.shown)

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "end": self.end, "next": list(self.next),
                "shown": self.shown}  # fmt: skip


def sections(stored: list[dict[str, Any]]) -> list[Section]:
    """The sections stored with a message (what cannot be read is left out)."""
    found = []
    for item in stored:
        try:
            found.append(
                Section(
                    str(item["title"]),
                    int(item["end"]),
                    tuple(int(i) for i in item["next"]),
                    int(item.get("shown", 0)),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return found


def expanded(text: str, shown: list[Section], blocks: dict[int, str]) -> str:
    """The message `text` with each section's shown next stories (their HTML in `blocks`,
    by story id; those missing are left out) put after the section's last story."""
    for section in sorted(shown, key=lambda s: s.end, reverse=True):
        extra = [blocks[i] for i in section.next[: section.shown] if i in blocks]
        if extra and 0 < section.end <= len(text):
            text = text[: section.end] + "\n" + "\n".join(extra) + text[section.end :]
    return text


def grow(
    text: str, stored: list[Section], index: int, blocks: dict[int, str]
) -> list[Section] | None:
    """The sections after one more press on section `index`: as many more of its stories
    as fit (up to STEP), or None when not one more fits in the message."""
    section = stored[index]
    for more in range(min(STEP, section.remaining), 0, -1):
        trial = [*stored]
        trial[index] = Section(section.title, section.end, section.next, section.shown + more)
        if fits(expanded(text, trial, blocks)):
            return trial
    return None
