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


def test_a_gallery_of_other_news_does_not_outweigh_a_short_article() -> None:
    """30 slides, each a picture and a caption, beside a three-paragraph story."""
    found = extract_article(page("en-embedded-gallery.html"), "https://coast.test/keeper")
    assert len(found.paragraphs) == 3
    assert found.paragraphs[0].startswith("The last keeper of the island lighthouse")
    assert "on Monday, as the city prepares" not in found.text


def test_a_listicle_of_pictures_with_headings_is_the_article() -> None:
    item = (
        "<div class='entry'><h3>{n}. A film worth seeing</h3><img src='/f/{n}.jpg'>"
        "<p>Film number {n} follows a family over one summer, told with patience, humour "
        "and a score that stays with you long after the credits.</p></div>"
    )
    items = "".join(item.format(n=n) for n in range(1, 8))
    html = f"<html><body><div class='list'>{items}</div><p>Short footer text.</p></body></html>"
    found = extract_article(html)
    assert sum(p.startswith("Film number") for p in found.paragraphs) == 7


def test_furniture_at_the_edges_of_a_minimal_article() -> None:
    """A timestamp, the headline, the byline, the site's name and a label before the story;
    a newsletter pitch inside it; a rule, a credit and a bio after it."""
    found = extract_article(page("en-minimal-article.html"), "https://courier.test/ferry")
    assert found.paragraphs[0].startswith("The night ferry between the two ports")
    assert found.paragraphs[-1].endswith('crossing at night for 20 years."')
    assert len(found.paragraphs) == 4


def test_a_poll_after_the_story_is_not_the_story() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the report on the new bus lanes, which opened this week, "
        f"to mixed reviews from drivers and riders.</p>"
        for n in range(4)
    )
    poll = (
        "<p>Should the lanes stay?</p><ul><li>Yes 62%</li><li>No 31%</li><li>Not sure 7%</li></ul>"
    )
    found = extract_article(f"<html><body><div class='story'>{story}{poll}</div></body></html>")
    assert found.paragraphs[-1].startswith("Paragraph 3")
    assert len(found.paragraphs) == 4


def test_a_lede_is_the_first_paragraph_and_machine_microdata_is_not_text() -> None:
    """The story's first paragraph marked as its description; before it, "follow us" and
    microdata written out for machines: an image address, the publisher, its logo."""
    found = extract_article(page("ar-lede-microdata.html"), "https://sahil.test/news/1")
    assert found.paragraphs[0].startswith("افتتح وزير النقل صباح اليوم")
    assert found.lead == found.paragraphs[0]
    assert len(found.paragraphs) == 4
    for furniture in ("تابعنا", "https://", "وكالة الساحل", "انسخ الرابط"):
        assert furniture not in found.text


def test_a_fable_in_a_table_cell_beside_a_calendar_of_other_fables() -> None:
    """A table layout: the story's cell, and a calendar of 31 cells of a date, a linked
    title and a line about each; the cells are too short to be prose."""
    found = extract_article(page("ja-calendar-sidebar.html"), "https://douwa.test/12/24.htm")
    assert found.paragraphs[1].startswith("むかしむかし、ある山のふもとに")
    assert found.paragraphs[-1].startswith("おじいさんとおばあさんは、そのおかげで")
    assert "動物たちのお話です" not in found.text


def test_how_to_steps_whose_text_stands_in_the_list_items() -> None:
    """An intro, then an ordered list of steps, each a heading block and its text written
    straight into the <li>: the steps are the article too, in their order."""
    found = extract_article(page("en-howto-steps.html"), "https://guides.test/terrarium")
    text = found.text
    starts = ["A terrarium is a small garden", "Pick a clear glass jar", "Pour about an inch",
              "Sprinkle a thin layer", "Spoon in two or three", "Ease each plant",
              "Add moss, stones"]  # fmt: skip
    positions = [text.find(start) for start in starts]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert text.index("Choose a container") < text.index("Pick a clear glass jar")
    assert "weekly guide" not in text


def test_notes_in_italics_after_the_story_are_not_the_story() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the episode's story, about a city that codes its way out of a "
        f"crisis, with help from its own residents.</p>"
        for n in range(3)
    )
    notes = (
        "<p><em>Music by the house band. Find us on the radio, every week, at nine.</em></p>"
        "<p><em>Does the part of your brain that loves to learn feel active? For more of the "
        "same, </em><a href='/support'>support us</a>.</p>"
    )
    found = extract_article(f"<html><body><div id='storytext'>{story}{notes}</div></body></html>")
    assert found.paragraphs[-1].startswith("Paragraph 2")
    assert len(found.paragraphs) == 3


def test_paragraphs_written_as_numbered_divs_with_screen_reader_text() -> None:
    """A wire's body in <div data-testid="paragraph-N">, a link whose hidden text says
    ", opens new tab", an advert marker between paragraphs and the sign-off after."""
    found = extract_article(page("en-paragraph-divs.html"), "https://wire.test/trains")
    assert len(found.paragraphs) == 5
    assert found.paragraphs[0].startswith("LISBON, May 3 (Wire) - Portugal's rail operator")
    assert "according to a statement, will replace" in found.paragraphs[1]
    assert found.paragraphs[-1].startswith("Unions welcomed the order")
    for furniture in ("opens new tab", "Scroll to continue", "Reporting by", "Another story"):
        assert furniture not in found.text


def test_how_to_steps_with_a_picture_each_are_not_a_gallery() -> None:
    step = (
        "<div class='step'><img src='/s/{n}.jpg'><p>Step {n}: cut the board to length, sand "
        "the edges smooth, and wipe away the dust before you go on.</p></div>"
    )
    steps = "".join(step.format(n=n) for n in range(1, 8))
    intro = "<p>A shelf takes an afternoon, a saw and a few screws, and it lasts for years.</p>"
    found = extract_article(f"<html><body><article>{intro * 3}<div class='steps'>{steps}"
                            "</div></article></body></html>")  # fmt: skip
    assert sum(p.startswith("Step ") for p in found.paragraphs) == 7


def test_text_no_reader_sees_is_not_the_article() -> None:
    seen = "".join(f"<p>Visible paragraph {n} of the story, which readers see on the page, "
                   f"with commas, and a full stop.</p>" for n in range(3))  # fmt: skip
    unseen = "".join(f"<p>Hidden paragraph {n}, kept for a layout that is never shown, with "
                     f"commas, more commas, and more text than the story has.</p>"
                     for n in range(2))  # fmt: skip
    html = (f"<html><body><div class='story'>{seen}<p style='visibility: hidden'>Hidden "
            f"aside, inside the story, that no reader sees either.</p></div>"
            f"<div style='visibility:hidden'>{unseen}</div></body></html>")  # fmt: skip
    found = extract_article(html)
    assert [p.split()[0] for p in found.paragraphs] == ["Visible"] * 3


def test_how_to_steps_each_in_its_own_indented_block() -> None:
    """A long intro and short steps, each step a block of wrappers indented in the page's
    source: the indents are not text, so the steps' column is mostly their paragraphs, and
    the steps are read with the intro."""
    found = extract_article(page("en-howto-step-blocks.html"), "https://kitchen.test/pickles")
    starts = ["Quick pickles need no canning kit", "Rinse the jars", "Cut the cucumbers",
              "Pack the spears", "Bring the vinegar", "Pour the hot brine", "Close the lids",
              "Wait three days"]  # fmt: skip
    positions = [found.text.find(start) for start in starts]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "How to Dry Herbs" not in found.text


def test_a_hidden_block_as_long_as_the_story_is_still_not_the_article() -> None:
    """A draft kept in the page with visibility: hidden, as long as the story beside it:
    what the reader sees is the article."""
    draft = "never shown to readers, with commas, and more words, as many as the story has"
    unseen = "".join(f"<p>Draft paragraph {n}, {draft}.</p>" for n in range(3))
    story = "which readers see, with commas, and words to be read as the article"
    seen = "".join(f"<p>Story paragraph {n}, {story}.</p>" for n in range(3))
    html = (f"<html><body><article><h1>Lorem</h1><div style='visibility: hidden;'>{unseen}"
            f"</div><h2>Foo</h2><div>{seen}</div></article></body></html>")  # fmt: skip
    found = extract_article(html)
    assert [p.split()[0] for p in found.paragraphs] == ["Story"] * 3


def test_a_story_that_a_script_reveals_is_read() -> None:
    """Nothing shown but the hidden story (display: none until a script runs)."""
    text = "of a story a script reveals, with commas, and a full stop"
    story = "".join(f"<p>Paragraph {n} {text}.</p>" for n in range(4))
    html = (f"<html><body><p>Menu</p><div class='story' style='display:none'>{story}</div>"
            "</body></html>")  # fmt: skip
    found = extract_article(html)
    assert [p.split()[0] for p in found.paragraphs] == ["Paragraph"] * 4
