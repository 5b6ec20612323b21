"""Tags from the article's own tag and topic links, else from its keywords."""

from pathlib import Path

from bot.ingest.extract import extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def test_the_articles_own_tag_links() -> None:
    """Its labelled topic and its tag list; not the site's topic bar, another story's
    label on a card, an embedded post's hashtags, the footer, or the SEO keywords."""
    html = (PAGES / "en-tag-links.html").read_text(encoding="utf-8")
    found = extract_article(html, "https://ledger.test/2026/05/13/tram.html")
    assert found.tags == ("Transport", "Trams", "Airport", "Regional council")


def test_keywords_when_the_page_links_no_tags() -> None:
    html = (
        '<html><head><meta name="keywords" content="trams, airport, Lite:true"></head>'
        "<body><p>Text of the story, long enough to be the body, and then some more.</p>"
        "</body></html>"
    )
    assert extract_article(html).tags == ("trams", "airport")


def test_a_story_label_and_its_count() -> None:
    html = (
        "<html><body><div class='refs'><span>الموضوع:</span> <a href='/trend/covid/'>"
        "فيروس كورونا (423)</a></div><div><p>نص الخبر، وهو نص طويل بما يكفي ليكون فقرة من "
        "فقرات الخبر.</p></div></body></html>"
    )
    assert extract_article(html, "https://ar.test/news/1").tags == ("فيروس كورونا",)
