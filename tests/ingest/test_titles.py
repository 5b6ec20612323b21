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
        # the site's heading, an og:title with the site's name after it
        ('<meta property="og:title" content="Valley floods : Morning Report"><title>x</title>'
         "</head><body><h1>Morning Report</h1><h2>Valley floods</h2>", "Valley floods"),
    ],
)  # fmt: skip
def test_the_articles_part_of_a_stated_title(head: str, expected: str) -> None:
    found = extract_article(f"<html><head>{head}<div>{BODY * 3}</div></body></html>")
    assert found.title == expected
