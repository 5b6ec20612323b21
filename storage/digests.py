"""What digests are made of: recent stories with their lead article, sources and topics.
Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage.db import in_batches
from storage.models import (
    Article,
    ArticleTopic,
    Chat,
    Outgoing,
    Source,
    Story,
    Subscription,
    Topic,
)  # fmt: skip


@dataclass(frozen=True)
class Report:
    """One article of a story, as a digest links to it."""

    title: str
    url: str
    source: str
    language: str  # the article's ("ar", "en"), else its source's
    # When it was published; when it was fetched if the page said nothing, or a time
    # after that (no article is published after it is read).
    published: dt.datetime


@dataclass(frozen=True)
class Lead:
    """A story's first article in one language: what the story shows in that language."""

    url: str
    summary: str
    image_url: str | None
    text_length: int  # characters of the whole article (a summary may be all of it)


@dataclass
class StoryRow:
    story_id: int
    headline: str
    last_seen: dt.datetime
    source_count: int
    terms: list[str]
    url: str = ""
    summary: str = ""
    sources: list[str] = field(default_factory=list)
    topics: dict[str, float] = field(default_factory=dict)
    # The same story's headlines from its other sources: (title, url, source name).
    others: list[tuple[str, str, str]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # its articles' search terms (stems)
    # Links on its first article's page that curation marked on topic: (title, url, source).
    page_links: list[tuple[str, str, str]] = field(default_factory=list)
    vector: bytes | None = None  # what the story means (bot/curation/embed.py), if known
    reports: list[Report] = field(default_factory=list)  # every article, in arrival order
    leads: dict[str, Lead] = field(default_factory=dict)  # language -> its first article


def recent_stories(
    since: dt.datetime, *, session: Session, words: bool = True,
    words_since: dt.datetime | None = None,
) -> list[StoryRow]:  # fmt: skip
    """Stories seen since `since`, each with its first article's link and summary, its
    source names (in order of arrival), its articles and its best score per topic; with
    `words`, the stems of its articles too (only keyword matching needs them, and they
    are most of what this reads), of the stories seen since `words_since` if given."""
    seen_since = col(Story.last_seen_at) >= since
    with_words = None
    if words:
        with_words = seen_since if words_since is None else (
            col(Story.last_seen_at) >= max(since, words_since))  # fmt: skip
    return _read(seen_since, with_words, session=session)


def stories_by_id(story_ids: list[int], *, session: Session) -> dict[int, StoryRow]:
    """These stories as a digest shows them, whenever they were seen (those still kept)."""
    if not story_ids:
        return {}
    return {row.story_id: row for row in _read(col(Story.id).in_(story_ids), None,
                                               session=session)}  # fmt: skip


def _read(where: Any, with_words: Any, *, session: Session) -> list[StoryRow]:
    stories = {
        s.id: StoryRow(
            s.id, s.headline, s.last_seen_at, s.source_count, list(s.terms), vector=s.vector
        )
        for s in session.exec(select(Story).where(where))
        if s.id is not None
    }
    if not stories:
        return []
    sources = {s.id: (s.name, s.language) for s in session.exec(select(Source))}
    # Subqueries, not lists of ids: a day of news is more ids than SQLite takes as
    # parameters of one statement.
    in_window = col(Article.story_id).in_(columns(col(Story.id)).where(where))
    articles = session.execute(
        columns(
            col(Article.id), col(Article.story_id), col(Article.source_id), col(Article.url),
            col(Article.title), col(Article.language), col(Article.published_at),
            col(Article.fetched_at),
        )
        .where(in_window)
        .order_by(col(Article.id))
    ).all()  # fmt: skip
    story_of: dict[int, int] = {}
    firsts: dict[int, str] = {}  # first article of each story -> its source's name
    leads: dict[int, str] = {}  # first article of each story in a language -> the language
    led: dict[int, set[str]] = defaultdict(set)  # story -> the languages it has a lead in
    # Each statement may see a story that became recent after the first one (on
    # databases that read committed rows per statement): those are left out.
    for article_id, story_id, source_id, url, title, language, published, fetched in articles:
        row = stories.get(story_id or 0)
        if row is None:
            continue
        story_of[article_id or 0] = row.story_id
        name, source_language = sources.get(source_id, ("", ""))
        language = language or source_language
        when = fetched if published is None else min(published, fetched)
        if language not in led[row.story_id]:
            led[row.story_id].add(language)
            leads[article_id or 0] = language
        row.reports.append(Report(title, url, name, language, when))
        if not row.url:
            row.url = url
            firsts[article_id or 0] = name
        elif name and name not in row.sources:
            row.others.append((title, url, name))
        if name and name not in row.sources:
            row.sources.append(name)
    # Summary, picture and page links come from the leading articles only: read them
    # for those.
    for chunk in in_batches(leads):
        query = columns(col(Article.id), col(Article.url), col(Article.summary),
                        col(Article.image_url), func.length(col(Article.text)),
                        col(Article.related))  # fmt: skip
        for article_id, url, summary, image, length, page in session.execute(
            query.where(col(Article.id).in_(chunk))
        ):
            row = stories[story_of[article_id]]
            row.leads[leads[article_id]] = Lead(url, summary or "", image or None, length or 0)
            if article_id not in firsts:
                continue
            row.summary = summary or ""
            row.page_links = [
                (str(link["title"]), str(link["url"]), firsts[article_id])
                for link in page or ()
                if link.get("on_topic") and link.get("title") and link.get("url")
            ]
    if with_words is not None:
        worded = col(Article.story_id).in_(columns(col(Story.id)).where(with_words))
        terms = columns(col(Article.story_id), col(Article.search_terms)).where(worded)
        for story_id, stems in session.execute(terms):
            if (row := stories.get(story_id or 0)) is not None:
                row.words.update(stems.split())
    links = session.exec(
        select(ArticleTopic.article_id, Topic.slug, ArticleTopic.score)
        .join(Topic, col(Topic.id) == col(ArticleTopic.topic_id))
        .where(col(ArticleTopic.article_id).in_(columns(col(Article.id)).where(in_window)))
    ).all()
    for article_id, slug, score in links:
        if article_id not in story_of:
            continue
        row = stories[story_of[article_id]]
        row.topics[slug] = max(score, row.topics.get(slug, 0.0))
    return list(stories.values())


def followed_topics(*, session: Session) -> dict[int, set[str]]:
    """Every chat's followed topic slugs."""
    followed: dict[int, set[str]] = defaultdict(set)
    query = select(Subscription.chat_id, Topic.slug).join(
        Topic, col(Topic.id) == col(Subscription.topic_id)
    )
    for chat_id, slug in session.exec(query):
        followed[chat_id].add(slug)
    return followed


def followed_keywords(*, session: Session) -> dict[int, list[str]]:
    """Every chat's free keywords."""
    followed: dict[int, list[str]] = defaultdict(list)
    query = select(Subscription.chat_id, Subscription.keyword).where(
        col(Subscription.keyword).is_not(None)
    )
    for chat_id, keyword in session.exec(query):
        if keyword:
            followed[chat_id].append(keyword)
    return followed


def due_chats(now: dt.datetime, *, session: Session, limit: int = 5000) -> list[Chat]:
    """Active chats whose digest time has come, the longest waiting first."""
    query = (
        select(Chat)
        .where(col(Chat.active), col(Chat.paused).is_(False), col(Chat.next_digest_at).is_not(None))
        .where(col(Chat.next_digest_at) <= now)
        .order_by(col(Chat.next_digest_at))
        .limit(limit)
    )
    return list(session.exec(query))


def reschedule(next_times: list[tuple[int, dt.datetime]], *, session: Session) -> None:
    """Sets the next digest time of many chats at once."""
    if next_times:
        session.execute(
            update(Chat),
            [{"id": chat_id, "next_digest_at": when} for chat_id, when in next_times],
        )


def alert_chats(*, session: Session) -> list[Chat]:
    """Active chats that take alerts now (not paused)."""
    query = select(Chat).where(col(Chat.active), col(Chat.alerts), col(Chat.paused).is_(False))
    return list(session.exec(query))


def alerts_since(since: dt.datetime, *, session: Session) -> dict[int, int]:
    """How many alerts each chat was sent (or has planned) since `since`."""
    query = (
        select(Outgoing.chat_id, func.count())
        .where(Outgoing.kind == "alert", col(Outgoing.created_at) >= since)
        .group_by(col(Outgoing.chat_id))
    )
    return dict(session.exec(query).all())
