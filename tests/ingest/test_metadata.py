"""Bylines and dates as pages write them, JSON-LD included."""

import datetime as dt

import pytest

from bot.ingest.extract import extract_article

BODY = "<p>Text of the story, long enough to be read as the body of the article, and more.</p>"


def page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<article>{BODY * 3}</article></body></html>"


def ld(data: str, wrap: str = "{}") -> str:
    return f'<script type="application/ld+json">{wrap.format(data)}</script>'


def test_a_json_ld_author_named_by_a_reference_into_the_graph() -> None:
    graph = (
        '{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "@id": "https://b.test/p#page", "name": "Page", '
        '"datePublished": "2024-06-01T08:00:00+00:00"},'
        '{"@type": "Article", "@id": "https://b.test/p#article", "headline": "Rivers rise",'
        ' "author": {"@id": "https://b.test/#/person/7"}},'
        '{"@type": "Person", "@id": "https://b.test/#/person/7", "name": "Dana Whitfield"}]}'
    )
    found = extract_article(page(ld(graph)))
    assert found.author == "Dana Whitfield"
    assert found.published == dt.datetime(2024, 6, 1, 8, tzinfo=dt.UTC), "from the WebPage"


def test_json_ld_in_cdata_wins_over_a_meta_date() -> None:
    data = (
        '{"@type": "NewsArticle", "headline": "Bridge opens", "datePublished": '
        '"2015-10-15T02:19:15Z", "author": {"@type": "Person", "name": ["Ana Ruiz", "Li Wei"]}}'
    )
    meta = '<meta property="article:published_time" content="2015-12-11T14:28:34Z">'
    found = extract_article(page(ld(data, "\n<![CDATA[\n{}\n]]>\n") + meta))
    assert found.published == dt.datetime(2015, 10, 15, 2, 19, 15, tzinfo=dt.UTC)
    assert found.author == "Ana Ruiz, Li Wei"


@pytest.mark.parametrize(
    ("head", "body", "author"),
    [
        # a decoy in the author meta (an address), the byline on the page
        ('<meta name="author" content="https://www.facebook.com/dailypage">',
         '<p class="byline"><span class="by">by</span> <a class="byauthor" '
         'href="/author/lnolan/">Lucas Nolan</a><span class="bydate">22 Dec 2016</span></p>',
         "Lucas Nolan"),
        # the CMS's default user in the meta, microdata on the page
        ('<meta name="author" content="admin">',
         '<span class="article-author" itemprop="author" itemscope><span itemprop="name">'
         "Nicolas Perriault</span> —</span>", "Nicolas Perriault"),
        # no metadata at all: "By" and a name in an author block
        ("", '<div class="article__author">By Scott Cunningham </div>', "Scott Cunningham"),
        # a byline block that holds a date after the name, and an editor's initials
        ("", '<div class="author-line">Author: Julia Hitz (eg) | 19.01.2020</div>', "Julia Hitz"),
        # a sentence in an author class is not a byline
        ("", '<div class="author-bio">Our writers cover the city. They live here too.</div>',
         None),
    ],
)  # fmt: skip
def test_bylines(head: str, body: str, author: str | None) -> None:
    assert extract_article(page(head, body)).author == author


def test_an_update_time_before_the_published_one_is_not_the_published() -> None:
    times = (
        '<p>Updated <time datetime="2026-03-05T10:00:00+01:00">March 5</time></p>'
        '<p>Published <time datetime="2026-03-01T08:00:00+01:00">March 1</time></p>'
    )
    found = extract_article(page("", times))
    assert found.published is not None
    assert found.published.isoformat() == "2026-03-01T08:00:00+01:00"
    marked = (
        '<time class="updated" datetime="2026-03-05">5</time><time datetime="2026-03-04">4</time>'
    )
    later = extract_article(page("", marked)).published
    assert later is not None and later.day == 4
