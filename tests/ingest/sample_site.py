"""Feeds and article pages written for these tests, served by the loopback news site."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from html import escape

from bot.loopback.news_site import NewsSite

BASE_TIME = dt.datetime(2026, 11, 29, 6, 0, tzinfo=dt.UTC)


def article_page(title: str, paragraphs: list[str], *, lang: str = "en",
                 published: str = "2026-11-29T09:00:00+03:00",
                 related: list[tuple[str, str]] = ()) -> str:  # fmt: skip
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    links = "".join(f'<li><a href="{u}">{escape(t)}</a></li>' for t, u in related)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)} | Test News</title>
<meta property="article:published_time" content="{published}">
<meta property="og:site_name" content="Test News"></head>
<body><nav><a href="/">Home</a><a href="/world">World</a></nav>
<article><h1>{escape(title)}</h1>
<div class="share"><a href="#">Share</a></div>
<div class="body">{body}</div>
<div class="related"><h3>Related</h3><ul>{links}</ul></div></article>
<footer>Test News</footer></body></html>"""


def rss(items: list[tuple[str, str, str]], *, title: str = "Test feed") -> str:
    """items: (guid, link, title)."""
    entries = "".join(
        f"<item><guid>{escape(g)}</guid><link>{escape(u)}</link><title>{escape(t)}</title>"
        f"<description>Summary of {escape(t)}</description>"
        f"<pubDate>{format_datetime(BASE_TIME - dt.timedelta(minutes=i))}</pubDate></item>"
        for i, (g, u, t) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>/</link>{entries}</channel></rss>")  # fmt: skip


def words(topic: str, n: int = 3) -> list[str]:
    return [
        f"Paragraph {i} about {topic}: officials said on Sunday that the work on {topic} "
        f"would continue through the winter, with a review planned for the spring."
        for i in range(1, n + 1)
    ]


def publish_world(site: NewsSite, count: int = 3, prefix: str = "world") -> list[str]:
    """A feed at /{prefix}.xml with `count` English articles; returns their URLs."""
    urls = []
    for n in range(1, count + 1):
        path = f"/{prefix}/2026/11/29/story-{n}.html"
        title = f"{prefix.title()} story number {n}"
        related = [(f"An older {prefix} story worth reading", "/old/1")]
        site.put(path, article_page(title, words(f"{prefix} {n}"), related=related))
        urls.append(site.url(path))
    items = [
        (f"{prefix}-{n}", u, f"{prefix.title()} story number {n}") for n, u in enumerate(urls, 1)
    ]
    site.put(f"/{prefix}.xml", rss(items))
    return urls
