"""Finding the article's blocks, on pages written for these tests after layouts seen on real
sites (the benchmark pages themselves stay out of the project)."""

from pathlib import Path

from bot.ingest.extract import extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_body_split_over_many_sibling_columns() -> None:
    """A newspaper's body in 7 column blocks inside <section name="articleBody">, with an
    advert, a newsletter link and a most-read list around them."""
    found = extract_article(page("en-sibling-columns.html"), "https://harbour.test/bridge")
    assert found.paragraphs[0].startswith("The city council voted on Tuesday")
    assert found.paragraphs[12].startswith("Residents who want to comment")
    assert len([p for p in found.paragraphs if p.endswith(".") or p.endswith("”")]) >= 13
    for furniture in ("Advertisement", "Most read story", "Sign up for the morning briefing"):
        assert furniture not in found.text


def test_text_over_several_sections_of_a_page() -> None:
    """Four feature sections, each a heading and one paragraph deep inside its own wrappers,
    beside lists of labels: the strong blocks share an ancestor, and that is the page."""
    found = extract_article(page("en-product-sections.html"), "https://pagebird.test/reader")
    text = found.text
    for start in ("It has never been easier", "Open the reading panel", "Pick from hundreds",
                  "Sign in once", "Nothing you read"):  # fmt: skip
        assert start in text
    assert text.index("Open the reading panel") < text.index("Nothing you read")


def test_a_paragraph_repeated_on_purpose_is_kept() -> None:
    line = "We will not stop until the water is clean again, the villagers said."
    body = (
        f"<p>{line}</p><p>They have marched every Sunday since March, from the square to the "
        f"river bank and back, carrying the same banners.</p><p>{line}</p>"
    )
    found = extract_article(f"<html><body><article><div>{body}</div></article></body></html>")
    assert found.paragraphs.count(line) == 2
