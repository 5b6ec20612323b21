"""A story as one reader sees it: in the reader's languages, led by one report. Pure.

A reader reads news in Arabic, English or both (news languages, the interface's
first). A story with no report in those languages is not theirs. One that the
semantic layer joined across languages is shown in the reader's language: its
headline, summary and picture are those of its first report in that language,
and every outlet that told it is still named, each linked to its own report.
Sources the chat muted are left out of all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.language import script_letters
from storage.digests import Lead, Report, StoryRow

LANGUAGES = ("ar", "en")
# What a reader may write for their news languages (/languages, --news-languages).
_SAID = {
    "ar": "ar", "arabic": "ar", "عربي": "ar", "العربية": "ar", "عربية": "ar",
    "en": "en", "english": "en", "إنجليزي": "en", "الإنجليزية": "en", "انجليزي": "en",
    "both": "ar,en", "all": "ar,en", "ar,en": "ar,en", "en,ar": "ar,en", "كلاهما": "ar,en",
    "الاثنتان": "ar,en", "معا": "ar,en",
}  # fmt: skip


def parse_languages(said: str) -> str | None:
    """ "ar", "en" or "ar,en" for what a reader wrote ("both", "English", "ar en"), or None."""
    words = said.replace("+", " ").replace(",", " ").lower().split()
    found = {_SAID.get(w) for w in words}
    if not words or None in found:
        return None
    wanted = {language for value in found if value for language in value.split(",")}
    return ",".join(sorted(wanted))


def news_languages(chosen: str | None, interface: str) -> tuple[str, ...]:
    """A chat's news languages, its interface's first: `chosen` ("ar", "en", "ar,en"), or
    the interface's alone when it chose none."""
    wanted = {lang for lang in (chosen or interface).split(",") if lang in LANGUAGES}
    wanted = wanted or {interface if interface in LANGUAGES else "en"}
    return tuple(sorted(wanted, key=lambda lang: lang != interface))


@dataclass(frozen=True)
class Reader:
    """What a chat reads, and how."""

    language: str  # the interface's, "ar" or "en"
    languages: tuple[str, ...]  # of the news, the interface's first
    zone: str = "UTC"
    pictures: bool = True
    muted: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Coverage:
    headline: str
    url: str
    language: str
    published: dt.datetime  # its first report's (of those the reader gets)
    sources: tuple[tuple[str, str], ...]  # (outlet, its first report's address), lead's first
    urls: frozenset[str]  # every report's address: never shown again as "related"
    lead: Lead | None = None  # summary and picture of the report that leads it


def coverage(row: StoryRow, reader: Reader) -> Coverage | None:
    """The story as `reader` sees it, or None when it has no report for them."""
    reports = [r for r in _reports(row) if r.source not in reader.muted]
    language = next((lang for lang in reader.languages
                     if any(r.language in (lang, "") for r in reports)), None)  # fmt: skip
    if language is None:
        return None
    first = next(r for r in reports if r.language in (language, ""))
    lead = row.leads.get(language)
    headline = first.title
    if first.url == row.url and row.headline and _arabic(row.headline) == (language == "ar"):
        headline = row.headline  # the story's own headline, when it is in this script
    # The lead's outlet, then those in its language, then in the reader's other one, then
    # the rest, each group in the order they told it.
    ranked = sorted(reports, key=lambda r: (r.source != first.source, r.language != language,
                                            r.language not in reader.languages))  # fmt: skip
    sources: dict[str, str] = {}
    for report in ranked:
        if report.source:
            sources.setdefault(report.source, report.url)
    return Coverage(
        headline=headline, url=first.url, language=language,
        published=min(r.published for r in reports), sources=tuple(sources.items()),
        urls=frozenset(r.url for r in _reports(row)),
        lead=lead if lead is not None and lead.url == first.url else None,
    )  # fmt: skip


def _arabic(text: str) -> bool:
    arabic, latin = script_letters(text)
    return arabic > 0 and arabic >= latin


def _reports(row: StoryRow) -> list[Report]:
    """The story's reports; a row made without them (by hand) has its first article's
    and its other sources' headlines, in no particular language."""
    if row.reports:
        return row.reports
    first = Report(row.headline, row.url, row.sources[0] if row.sources else "", "",
                   row.last_seen)  # fmt: skip
    return [first, *(Report(t, u, s, "", row.last_seen) for t, u, s in row.others)]
