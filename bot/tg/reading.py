"""/news [topic] and /digest: stories on demand."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode

from bot.curation.embed import unpack
from bot.curation.meanings import closest
from bot.delivery.plan import plan_answer
from bot.digest import compose, render, select
from bot.digest.coverage import Reader, news_languages
from bot.digest.more import KEPT
from bot.digest.related import RELATED_WINDOW, Related
from bot.digest.schedule import local
from bot.language import stems
from bot.texts import text
from bot.tg.common import chat_row
from bot.tg.context import Context
from bot.tg.send import preview
from storage import digests as digest_store
from storage import outgoing, subscriptions
from storage import search as search_store
from storage import sources as source_store
from storage.db import session
from storage.models import Article

WINDOW = dt.timedelta(hours=24)
MEANING_WINDOW = dt.timedelta(days=7)  # /search by meaning looks this far back
MEANING_MORE = 3  # results by meaning added, at most
MEANING_FLOOR = 0.15  # below this cosine, nothing the query means


async def news(update: Update, context: Context) -> None:
    """The top stories now: of one topic, or of the chat's topics (all if none)."""
    await _show(update, context, record=False)


async def digest(update: Update, context: Context) -> None:
    """Today's digest now; what it shows is not sent again by the daily digest."""
    await _show(update, context, record=True)


async def _show(update: Update, context: Context, *, record: bool) -> None:
    row, language = chat_row(update, context)
    message = update.effective_message
    if message is None:
        return
    now = dt.datetime.now(dt.UTC)
    slugs = {slug for slug, _, _ in context.bot_data.topics}
    asked = " ".join(context.args or []).strip().lower()
    if asked and record:  # "/digest sports": say what works instead of ignoring the word
        example = _topic_for(asked, context) or "sports"
        await message.reply_text(text("digest_takes_no_words", language, example=example))
        return
    with session(context.bot_data.engine) as db:
        if asked and not record:
            wanted = _topic_for(asked, context)
            if wanted is None:
                await message.reply_text(text(
                    "unknown_topic", language, given=asked[:40],
                    topics=", ".join(sorted(slugs)),
                ))  # fmt: skip
                return
            followed = {wanted}
            keywords: dict[str, set[str]] = {}
        else:
            words = subscriptions.keywords(row.id, session=db)
            keywords = {word: set(stems(word)) for word in words}
            followed = subscriptions.topic_slugs(row.id, session=db) or (set() if words else slugs)
        rows = digest_store.recent_stories(
            now - RELATED_WINDOW, session=db, words=bool(keywords), words_since=now - WINDOW
        )
        recent = [r for r in rows if r.last_seen >= now - WINDOW]
        # What this chat got (a linked channel's admin asks for a digest here, not there).
        shown_to = message.chat_id
        delivered = outgoing.delivered_story_ids(shown_to, session=db) if record else set()
    # In the language of this chat, the news languages, time and sources of the one set up.
    reader = Reader(language, news_languages(row.news_languages, row.language), row.timezone,
                    row.pictures, frozenset(row.muted))  # fmt: skip
    chosen = select.select(followed, delivered, select.candidates_by_topic(recent), now,
                           keywords=keywords, rows=recent, reader=reader,
                           following=KEPT if record else 0)  # fmt: skip
    if not chosen.chosen:
        await message.reply_text(text("nothing_new", language))
        return
    names = {slug: (ar, en) for slug, ar, en in context.bot_data.topics}
    made = compose.digest(chosen, reader=reader, now=now, names=names, related=Related(rows))
    if not record:  # /news: the top stories, whatever the chat got before
        for n, part in enumerate(made.texts):
            await message.reply_text(part, parse_mode=ParseMode.HTML,
                                     link_preview_options=preview(made.preview_url if n == 0
                                                                  else None))  # fmt: skip
        return
    # /digest goes into the ledger first and out as a daily digest does: what it shows
    # is never sent again, even when Telegram's answer to it is lost.
    planned = await asyncio.to_thread(
        plan_answer, context.bot_data.engine, shown_to, run=f"digest on demand {now.isoformat()}",
        made=made, story_ids=[r.story_id for _, r in chosen.chosen],
    )  # fmt: skip
    if not planned:  # a daily digest took them meanwhile
        await message.reply_text(text("nothing_new", language))
        return
    await context.bot_data.courier.send_unsent(chat_id=shown_to)


def _topic_for(asked: str, context: Context) -> str | None:
    for slug, name_ar, name_en in context.bot_data.topics:
        if asked in (slug, name_ar.lower(), name_en.lower()):
            return str(slug)
    return None


async def search(update: Update, context: Context) -> None:
    """Stories matching the words, found by their stems (Arabic forms folded)."""
    row, language = chat_row(update, context)
    zone = row.timezone
    message = update.effective_message
    if message is None:
        return
    query = " ".join(" ".join(context.args or []).split())[:100]
    terms = stems(query)
    if not terms:
        await message.reply_text(text("search_usage", language))
        return
    with session(context.bot_data.engine) as db:
        found = search_store.search(terms, session=db)
    if len(found) < search_store.LIMIT:  # by meaning too: "Lavrov" finds its Arabic report
        found += await _by_meaning(query, found, context)
    with session(context.bot_data.engine) as db:
        names = source_store.names((a.source_id for a in found), session=db)
    if not found:
        await message.reply_text(text("search_none", language, query=query))
        return
    results = [
        (a.title, a.url, names.get(a.source_id, ""), local(a.published_at or a.fetched_at, zone))
        for a in found
    ]
    reply = render.search_results(text("search_found", language, query=query), results)
    await message.reply_text(reply, parse_mode=ParseMode.HTML,
                             link_preview_options=LinkPreviewOptions(is_disabled=True))  # fmt: skip


async def _by_meaning(query: str, found: list[Article], context: Context) -> list[Article]:
    """Recent articles closest in meaning to the query (whatever their language), in
    stories the words did not find, after those the words found. A name alone means
    little to a sentence model, so what the words found (in the query's language)
    lends the query its meaning: "Lavrov" and the English reports about him find the
    Arabic ones (87 of 88 subjects of bench/data/crosslingual.jsonl, against 69 for
    the query alone, measured)."""
    embedder = context.bot_data.embedder
    if embedder.name == "off":
        return []
    vectors = await embedder.embed([query])
    if vectors is None:
        return []
    lent = [unpack(a.vector) for a in found[:3]
            if a.vector is not None and a.vector_model == embedder.name]  # fmt: skip
    meant = vectors[0] + (sum(lent) / len(lent) if lent else 0.0)
    meant = meant / (float((meant @ meant) ** 0.5) or 1.0)
    since = dt.datetime.now(dt.UTC) - MEANING_WINDOW
    with session(context.bot_data.engine) as db:
        candidates = search_store.recent_vectors(since, embedder.name, session=db)
        shown = {a.story_id or -(a.id or 0) for a in found}
        ranked = closest(meant, [(i, v) for i, _, v in candidates], MEANING_FLOOR)
        story_of = {i: s for i, s, _ in candidates}
        wanted: list[int] = []
        for article_id, _ in ranked:
            story = story_of[article_id] or -article_id
            if story not in shown and len(wanted) < MEANING_MORE:
                shown.add(story)
                wanted.append(article_id)
        return search_store.articles(wanted, session=db)
