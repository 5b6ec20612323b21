"""Stories chosen for a chat -> the messages that show them, as that reader reads them:
in their languages, their time, with related headlines and the lead story's picture."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.digest import render, when
from bot.digest.brief import brief
from bot.digest.coverage import Reader, coverage
from bot.digest.more import KEPT, Section
from bot.digest.related import SHOWN, Related
from bot.digest.schedule import local
from bot.digest.select import Selection
from storage.digests import StoryRow

Names = dict[str, tuple[str, str]]  # a topic's slug -> its (Arabic, English) names


@dataclass(frozen=True)
class Message:
    text: str  # Telegram HTML
    sections: list[dict[str, Any]] = field(default_factory=list)  # bot/digest/more.py


@dataclass(frozen=True)
class Digest:
    messages: list[Message]
    # The page whose preview (its picture) goes above the first message: the top story's,
    # when it has a picture and the reader wants pictures.
    preview_url: str | None = None

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]


def topic_name(slug: str, language: str, names: Names) -> str:
    """A topic's name in the chat's language; a followed keyword is its own name."""
    return names.get(slug, (slug, slug))[0 if language == "ar" else 1]


def card(
    slug: str, row: StoryRow, *, reader: Reader, now: dt.datetime, names: Names,
    related: Related | None = None, shown: frozenset[int] = frozenset(),
) -> render.StoryCard | None:  # fmt: skip
    """How one story reads for `reader` at `now`, or None when it has nothing for them;
    `shown`: the stories the same message shows (never related to each other)."""
    seen = coverage(row, reader)
    if seen is None:
        return None
    lead = seen.lead
    summary = row.summary if not row.reports else lead.summary if lead else ""
    clock = local(now, reader.zone)
    return render.StoryCard(
        headline=seen.headline, url=seen.url,
        summary=brief(summary, headline=seen.headline, text_length=lead.text_length if lead
                      else 0),
        sources=seen.sources,
        when=when.spoken(local(seen.published, reader.zone), clock, reader.language),
        topic=topic_name(slug, reader.language, names),
        related=tuple(_related(row, seen.urls, reader, clock, related, shown)),
    )  # fmt: skip


def digest(selection: Selection, *, reader: Reader, now: dt.datetime, names: Names,
           related: Related | None = None) -> Digest:  # fmt: skip
    """The digest's messages for the selection, its sections' "more", its picture."""
    shown = frozenset(row.story_id for _, row in selection.chosen)
    cards, slugs = [], {}
    for slug, row in selection.chosen:
        made = card(slug, row, reader=reader, now=now, names=names, related=related,
                    shown=shown)  # fmt: skip
        if made is not None:
            cards.append(made)
            slugs[made.topic] = slug
    day = when.day(local(now, reader.zone).date(), reader.language)
    parts = render.digest(cards, language=reader.language, day=day)
    messages = []
    for part in parts:
        sections = [
            Section(title, end, tuple(r.story_id for r in selection.next.get(slugs[title], ())
                                      )[:KEPT]).as_json()
            for title, end in part.ends
            if selection.next.get(slugs[title])
        ]  # fmt: skip
        messages.append(Message(part.text, sections))
    preview = None
    if cards and reader.pictures:
        top = coverage(selection.chosen[0][1], reader)
        if top is not None and top.lead is not None and top.lead.image_url:
            preview = top.url
    return Digest(messages, preview)


def more(rows: dict[int, StoryRow], *, reader: Reader, now: dt.datetime,
         names: Names) -> dict[int, str]:  # fmt: skip
    """The HTML of stories put into a section by its "more" (by story id), as of `now`,
    the digest's own time: its "07:40" and "yesterday" are the digest's day's."""
    blocks = {}
    for story_id, row in rows.items():
        made = card("", row, reader=reader, now=now, names=names)  # its section is shown
        if made is not None:
            blocks[story_id] = render.story(made, language=reader.language)
    return blocks


def _related(
    row: StoryRow, own: frozenset[str], reader: Reader, clock: dt.datetime,
    finder: Related | None, shown: frozenset[int],
) -> list[render.Related]:  # fmt: skip
    """Other stories that add something (close by meaning or words, the same running
    story's earlier events among them), then the page's own links on topic; never an
    address the sources line links, nor a story the digest shows."""
    picked: list[render.Related] = []
    taken = {_key(url) for url in own}
    for other, _ in finder.close(row, reader) if finder is not None else ():
        seen = coverage(other, reader)
        if seen is None or other.story_id in shown or _key(seen.url) in taken:
            continue
        said = when.spoken(local(seen.published, reader.zone), clock, reader.language,
                           clock=False)  # fmt: skip
        source = seen.sources[0][0] if seen.sources else ""
        picked.append(render.Related(seen.headline, seen.url, source, said))
        taken.add(_key(seen.url))
    page_language = row.reports[0].language if row.reports else ""
    if page_language in ("", *reader.languages):
        for title, url, source in row.page_links:
            if _key(url) not in taken and source not in reader.muted:
                picked.append(render.Related(title, url, source))
                taken.add(_key(url))
    return picked[:SHOWN]


def _key(url: str) -> str:
    """An address without what does not make it another page (scheme, www., a last /)."""
    bare = url.split("://", 1)[-1]
    return bare.removeprefix("www.").rstrip("/")
