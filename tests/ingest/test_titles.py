"""The article's own title, not its section's or its site's."""

from pathlib import Path

import pytest

from bot.ingest.extract import extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
BODY = "<p>Some text of the page, long enough to be read as its body, and a little more.</p>"


def test_a_section_heading_before_the_headline_is_not_the_title() -> None:
    html = (PAGES / "en-section-title.html").read_text(encoding="utf-8")
    found = extract_article(html, "https://health.test/superbugs")
    assert found.title == "Superbugs: What They Are and How You Get Them"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # a short headline that is a whole part of the page's title, beside the site's name
        ("<title>Mozilla - Wikipedia</title></head><body><h1>Mozilla</h1>", "Mozilla"),
        # the site's own heading, and no og:title: the page's title names the article
        ("<title>Get your Frontend JavaScript Code Covered | Code | Nicolas Perriault</title>"
         "</head><body><h1>Hi, I'm Nicolas.</h1>", "Get your Frontend JavaScript Code Covered"),
        # a section and a site after "_", as Chinese sites write them
        ("<title>人工智能迈上新台阶_科技_新闻网</title></head><body><h1>人工智能迈上新台阶</h1>",
         "人工智能迈上新台阶"),
        # the site's heading, an og:title with the site's name after it
        ('<meta property="og:title" content="Valley floods : Morning Report"><title>x</title>'
         "</head><body><h1>Morning Report</h1><h2>Valley floods</h2>", "Valley floods"),
    ],
)  # fmt: skip
def test_the_articles_part_of_a_stated_title(head: str, expected: str) -> None:
    found = extract_article(f"<html><head>{head}<div>{BODY * 3}</div></body></html>")
    assert found.title == expected


def test_the_documents_title_when_it_names_the_same_article_as_the_headline() -> None:
    """No title stated; the headline says "is the", the document's title (what a browser
    tab shows) "hands-on:", the same article: the document's, without the site."""
    head = "<title>The new headset hands-on: the sharpest screen yet - Gadget Weekly</title>"
    body = "<h1>The new headset is the sharpest screen yet</h1>"
    found = extract_article(
        f"<html><head>{head}</head><body>{body}<div>{BODY * 3}</div></body></html>"
    )
    assert found.title == "The new headset hands-on: the sharpest screen yet"
    assert not found.text.startswith("The new headset"), "the headline is not body text"


@pytest.mark.parametrize(
    ("head", "heading", "expected"),
    [
        # the JSON-LD headline words it "hands-on:", og:title and the <h1> "is the"
        ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
         '"The new headset hands-on: the sharpest screen yet"}</script>'
         '<meta property="og:title" content="The new headset is the sharpest screen yet">'
         "<title>Gadget Weekly</title>",
         "The new headset is the sharpest screen yet",
         "The new headset hands-on: the sharpest screen yet"),
        # the <h1> rewords the og:title's end; the document's title adds "(with Pictures)"
        ('<meta property="og:site_name" content="Howto"><meta property="og:title" '
         'content="How to Pot a Fern Indoors | Howto">'
         "<title>How to Pot a Fern Indoors (with Pictures) | Howto</title>",
         "How to Pot Ferns Indoors", "How to Pot a Fern Indoors"),
    ],
)  # fmt: skip
def test_the_stated_title_that_names_the_headlines_article(
    head: str, heading: str, expected: str
) -> None:
    """A headline reworded on the page: the title as the publisher states it, the first
    stated (JSON-LD, og:title, twitter:title) that names the same article."""
    html = f"<html><head>{head}</head><body><h1>{heading}</h1><div>{BODY * 3}</div></body></html>"
    assert extract_article(html).title == expected


def test_a_dash_inside_the_headline_is_not_the_sites_part() -> None:
    """og:title "X - y" with no site in it, the <h1> nearly the same words: kept whole,
    not cut to its longest part."""
    head = '<meta property="og:title" content="How we built Acme\u2019s queue - a task runner">'
    body = "<h1>How we built Acme queue: a task runner</h1>"
    html = f"<html><head>{head}</head><body>{body}<div>{BODY * 3}</div></body></html>"
    assert extract_article(html).title == "How we built Acme\u2019s queue - a task runner"


def test_html_entities_in_a_json_ld_headline_are_read() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        '"&quot;Pink hair&quot; puzzles fans &amp; experts"}</script>'
    )
    html = f"<html><head>{head}</head><body><div>{BODY * 3}</div></body></html>"
    assert extract_article(html).title == '"Pink hair" puzzles fans & experts'
