"""Article extraction on pages written for these tests, each reproducing what real pages do."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.ingest.extract import Related, extract_article

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
RIYADH = dt.timezone(dt.timedelta(hours=3))


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_english_page_with_json_ld() -> None:
    found = extract_article(page("en-json-ld.html"), "https://daily.test/world/water-deal")
    assert found.title == "Ministers agree water-sharing deal after all-night talks"
    assert found.lead == (
        "The agreement ends a decade of dispute over the river and sets up a joint commission."
    )
    assert found.paragraphs == (
        "Water ministers from three countries agreed on Sunday to share the river's flow during "
        "droughts, after talks that ran through the night in the capital.",
        "The deal, which still needs the approval of the three parliaments, sets a minimum "
        "release from the dam in dry years and creates a commission to settle disputes.",
        "A decade of dispute",
        "Negotiations began in 2015, when construction of the dam started, and stalled several "
        "times, most recently in the spring.",
        '"This is a good day for our farmers," one minister told reporters, adding that details '
        "would be published within a week.",
    )
    assert found.published == dt.datetime(2026, 11, 29, 6, 45, tzinfo=RIYADH)
    assert found.updated == dt.datetime(2026, 11, 29, 9, 0, tzinfo=RIYADH)
    assert found.author == "Lina Haddad, Tom Reed"
    assert found.image == "https://daily.test/images/dam.jpg"
    assert found.language == "en"
    assert found.tags == ("Water", "Diplomacy", "Nile")
    assert found.url == "https://daily.test/world/2026/11/29/water-deal", "tracking removed"
    assert found.related == (
        Related("Drought hits farms along the lower river",
                "https://daily.test/world/2026/11/28/drought-hits-farms"),
        Related("Dam filling reaches its third stage this week",
                "https://daily.test/world/2026/11/27/dam-filling"),
        Related("River talks begin with hopes of a breakthrough",
                "https://daily.test/world/2026/11/20/river-talks-begin"),
    )  # fmt: skip


def test_arabic_page_without_any_metadata() -> None:
    found = extract_article(page("ar-no-metadata.html"), "https://sahifa.test/culture/123")
    assert found.title == "افتتاح معرض الكتاب الدولي بمشاركة 40 دولة"
    assert found.language == "ar"
    assert found.published == dt.datetime(2026, 11, 29, 10, 30, tzinfo=dt.UTC)
    assert found.paragraphs[0].startswith("افتتح وزير الثقافة صباح اليوم الأحد")
    assert found.paragraphs[-1] == (
        "ويحل على المعرض هذا العام ضيف شرف من أمريكا اللاتينية للمرة الأولى في تاريخه."
    )
    assert len(found.paragraphs) == 4
    text = found.text
    for furniture in (
        "اقرأ أيضا",
        "ارتفاع أسعار الكتب",
        "فيسبوك",
        "الكلمات المفتاحية",
        "جميع الحقوق",
    ):
        assert furniture not in text
    assert [r.url for r in found.related] == [
        "https://sahifa.test/culture/2026/11/25/book-prices",
        "https://sahifa.test/culture/2026/11/20/guest-country",
    ]


def test_a_time_without_offset_is_read_in_the_sources_zone() -> None:
    """ "١٠:٣٠" on a Cairo paper's page is 10:30 in Cairo, not 10:30 UTC."""
    cairo = ZoneInfo("Africa/Cairo")
    found = extract_article(page("ar-no-metadata.html"), "https://sahifa.test/culture/123",
                            zone=cairo)  # fmt: skip
    assert found.published == dt.datetime(2026, 11, 29, 10, 30, tzinfo=cairo)
    assert found.published.astimezone(dt.UTC).hour == 8
    stamped = "<html><head><meta property='article:published_time' content='2026-11-29T10:30'>"
    offset = "<meta property='article:modified_time' content='2026-11-29T12:00+01:00'></head>"
    both = extract_article(stamped + offset + "<body><p>x</p></body></html>", zone=cairo)
    assert both.published == dt.datetime(2026, 11, 29, 10, 30, tzinfo=cairo)
    assert both.updated is not None and both.updated.utcoffset() == dt.timedelta(hours=1)


def test_article_split_over_several_blocks_inside_a_page_wide_form() -> None:
    found = extract_article(page("en-split-chunks.html"), "https://times.test/budget")
    assert found.title == "Budget talks drag on"
    assert len(found.paragraphs) == 5
    assert found.paragraphs[0].startswith("Budget negotiators met")
    assert found.paragraphs[-1].startswith("Markets have so far")
    assert "ADVERTISEMENT" not in found.text
    assert "Another headline" not in found.text


def test_text_in_a_div_split_by_line_breaks() -> None:
    found = extract_article(page("br-text.html"), "https://weather.test/storm")
    assert [p.split()[0] for p in found.paragraphs] == ["Forecasters", "Schools", "Residents"]


def test_page_with_no_article_gives_no_text() -> None:
    found = extract_article("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert found.paragraphs == ()
    assert found.title == ""


def test_json_ld_body_when_the_page_shows_little() -> None:
    body = "First paragraph of the real story.\\nSecond paragraph with more detail."
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "Teaser only", "articleBody": "{body}"}}</script></head>'
        "<body><h1>Teaser only</h1><p>Subscribe to read.</p></body></html>"
    )
    found = extract_article(html)
    assert found.paragraphs == (
        "First paragraph of the real story.",
        "Second paragraph with more detail.",
    )


@pytest.mark.parametrize("selector", ["div.news-text", "div.news-text p"])
def test_a_body_selector_from_the_catalog_wins(selector: str) -> None:
    found = extract_article(page("ar-no-metadata.html"), "https://sahifa.test/1",
                            body_selector=selector)  # fmt: skip
    assert found.paragraphs[0].startswith("افتتح وزير الثقافة")
    assert "الكلمات المفتاحية" not in found.text


def test_a_short_post_is_not_outweighed_by_its_comments() -> None:
    comment = "<li class='comment'><div class='comment-body'><p>{}</p></div></li>"
    long_reply = (
        "I have been reading this blog for years, and I think the analysis of the "
        "charity's budget, its staff and its programmes is very thorough, thanks. "
    )
    html = (
        "<html><body><main><article><h1>Open thread</h1><div class='entry'>"
        "<p>Our goal with these open threads is to give readers a place to raise questions, "
        "in the comments below, about our work and related topics.</p></div></article>"
        "<div id='comments' class='comments-area'><ol class='comment-list'>"
        + "".join(comment.format(long_reply * 3) for _ in range(6))
        + "</ol></div></main></body></html>"
    )
    found = extract_article(html)
    assert found.paragraphs == (
        "Our goal with these open threads is to give readers a place to raise questions, "
        "in the comments below, about our work and related topics.",
    )


def test_paragraphs_written_as_divs_of_spans() -> None:
    para = "<div><span style='font-size: small'><span>{}</span></span></div>"
    lines = [
        "Photos released online show the actress looking stunning in new make-up photos.",
        "The veteran actress, who won an award for best actress in 2008, shared the photos "
        "on her page, where they were widely shared.",
    ]
    sidebar = "".join(
        f"<div class='item'><a href='/n/{n}'>Another headline in the sidebar number {n} "
        f"that is long enough to look like text</a></div>"
        for n in range(8)
    )
    html = (f"<html><body><div class='post-body'>{''.join(para.format(x) for x in lines)}</div>"
            f"<div class='sidebar-list'>{sidebar}</div></body></html>")  # fmt: skip
    assert extract_article(html).paragraphs == tuple(lines)


def test_site_legal_lines_are_not_article_text() -> None:
    body = "".join(f"<p>Sentence {n} of the story, which goes on for a while, as stories do.</p>"
                   for n in range(5))  # fmt: skip
    legal = ("<p>Registration on or use of this site constitutes acceptance of our User "
             "Agreement.</p><p>You may also like...</p><p>Disclaimer</p>")  # fmt: skip
    found = extract_article(f"<html><body><div class='story'>{body}{legal}</div></body></html>")
    assert len(found.paragraphs) == 5
    assert found.paragraphs[-1].startswith("Sentence 4")


def test_bylines_datelines_and_agency_credits_are_trimmed() -> None:
    story = [
        "ثمّن القائم بأعمال السفارة جهود الدولة في مواجهة الوباء، مشيدا بالتسهيلات المقدمة.",
        "ودعا أبناء الجالية إلى الالتزام التام بالإجراءات الاحترازية والوقائية المعلنة.",
    ]
    policy = "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها."
    lines = ["(أبوظبي - البيان)", "التاريخ: 03 يونيو 2020", "حوار: آسيا العتروس", *story,
             "--(بترا)", policy]  # fmt: skip
    html = "<html><body><div class='text'>" + "".join(f"<p>{x}</p>" for x in lines) + "</div>"
    assert extract_article(html + "</body></html>").paragraphs == tuple(story)


def test_related_boxes_found_by_their_label() -> None:
    body = "نص الخبر الرئيسي، وهو نص طويل بما يكفي ليكون فقرة من فقرات الخبر. " * 3
    first, second = "عنوان الخبر الأول المرتبط بالموضوع", "عنوان الخبر الثاني المرتبط بالموضوع"
    html = "".join([
        f"<html><body><div class='article'><p>{body}</p><p>{body}</p></div>",
        "<div class='box'><div class='head'><h2>",
        "<a href='javascript:void(0)'>مقالات ذات صلة</a></h2></div>",
        f"<div class='cards'><a href='/news/1/a' title='{first}'><img src='x'></a>",
        f"<a href='/news/2/b'>{second}</a></div></div>",
        "<div class='refs'><dl><dt><h3>انظر أيضا:</h3></dt><dd><a href='/radio/3'>",
        "<strong>كورونا وتحديات التعليم عن بعد</strong></a></dd></dl>",
        "<dl><dt></dt><dd><a href='/world/5'>دفعات مالية لمواجهة ضغوط كورونا</a></dd></dl></div>",
        "<div class='menu'><a href='/sport/4'>رياضة وأخبار الملاعب اليوم</a></div>",
        "</body></html>",
    ])  # fmt: skip
    found = extract_article(html, "https://site.test/news/0/this")
    assert [(r.title, r.url) for r in found.related] == [
        (first, "https://site.test/news/1/a"),
        (second, "https://site.test/news/2/b"),
        ("كورونا وتحديات التعليم عن بعد", "https://site.test/radio/3"),
        ("دفعات مالية لمواجهة ضغوط كورونا", "https://site.test/world/5"),
    ]


def test_rdfa_date_and_a_date_in_a_created_label() -> None:
    para = "<p>Text of the story, long enough to be read as the article body, and more.</p>"
    rdfa = '<span property="dc:date" content="2019-02-08T00:00:00+01:00">الجمعة 8 فيفري 2019</span>'
    found = extract_article(f"<html><body><div>{rdfa}</div><div>{para * 3}</div></body></html>")
    assert found.published is not None
    assert found.published.isoformat() == "2019-02-08T00:00:00+01:00"
    label = '<div class="article_created">تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</div>'
    found = extract_article(f"<html><body>{label}<div>{para * 3}</div></body></html>")
    assert found.published is not None
    assert found.published.timetuple()[:5] == (2020, 4, 24, 21, 22)
