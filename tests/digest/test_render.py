import datetime as dt

from bot.digest.render import (
    FSI,
    MAX_ENTITIES,
    PDI,
    RLM,
    Related,
    StoryCard,
    digest,
    pack,
    search_results,
    story,
)
from bot.loopback.telegram_html import parse_html

WHEN = dt.datetime(2026, 11, 29, 8, 10, tzinfo=dt.timezone(dt.timedelta(hours=3)))
DAY = "Sunday 29 November"


def card(n: int, headline: str = "", topic: str = "World", summary: str = "S.") -> StoryCard:
    return StoryCard(headline or f"Story {n} <with> & marks", f"https://n.test/{n}?a=1&b=2",
                     summary, (("BBC News", f"https://bbc.test/{n}"), ("AP", f"https://ap.test/{n}")),
                     "08:10", topic,
                     (Related("Other view", f"https://o.test/{n}", "Guardian"),))  # fmt: skip


def texts(cards: list[StoryCard], language: str = "en") -> list[str]:
    return [part.text for part in digest(cards, language=language, day=DAY)]


def test_every_message_is_valid_telegram_html_within_the_limit() -> None:
    cards = [card(n, summary="word " * 150) for n in range(30)]
    messages = texts(cards)
    assert len(messages) > 1
    for message in messages:
        parsed = parse_html(message)  # raises if Telegram would refuse it
        assert parsed.length <= 4096
        assert len(parsed.entities) <= MAX_ENTITIES, "Telegram ignores those past 100"
    text = "\n".join(parse_html(m).text for m in messages)
    assert "Story 0 <with> & marks" in text
    assert text.count("Story 29") == 1, "a story is never cut between messages"


def test_each_outlet_links_to_its_own_report_and_related_adds_other_stories() -> None:
    parsed = parse_html(story(card(1), language="en"))
    lines = parsed.text.split("\n")
    assert lines[2] == "BBC News, AP · 08:10"
    assert lines[3] == "Related: Other view (Guardian)"
    links = {parsed.text[e["offset"] : e["offset"] + e["length"]]: e["url"]  # type: ignore[index, operator]
             for e in parsed.entities if e["type"] == "text_link"}  # fmt: skip
    assert links["BBC News"] == "https://bbc.test/1"
    assert links["AP"] == "https://ap.test/1"
    assert links["Other view"] == "https://o.test/1"


def test_a_story_told_by_many_outlets_names_five_and_counts_the_rest() -> None:
    many = StoryCard("Summit", "https://a.test/0", "", tuple(
        (f"Outlet {n}", f"https://o{n}.test/") for n in range(8)), "07:40", "World")  # fmt: skip
    assert parse_html(story(many, language="en")).text.split("\n")[1] == (
        "Outlet 0, Outlet 1, Outlet 2, Outlet 3, Outlet 4, +3 more · 07:40"
    )
    arabic = parse_html(story(many, language="ar")).text.split("\n")[1]
    assert arabic.startswith(RLM) and arabic.endswith("و٣ غيرها · 07:40")


def test_the_header_names_the_day_in_words_and_the_topics_covered() -> None:
    [message] = texts([card(1, topic="Middle East"), card(2, topic="Economy")])
    assert parse_html(message).text.split("\n")[:2] == [
        "📰 Your news digest – Sunday 29 November", "Middle East · Economy",
    ]  # fmt: skip
    [arabic] = [p.text for p in digest([card(1, topic="اقتصاد"), card(2, topic="رياضة")],
                                       language="ar", day="الأحد ٢٩ نوفمبر")]  # fmt: skip
    header = f"{RLM}📰 موجز الأخبار – الأحد ٢٩ نوفمبر\n{RLM}اقتصاد · رياضة\n"
    assert parse_html(arabic).text.startswith(header)
    [one] = texts([card(1, topic="Economy")])
    alone = f"📰 Your news digest – {DAY}\n\nEconomy\n• Story 1"
    assert parse_html(one).text.startswith(alone), "one topic is not named twice"


def test_arabic_lines_start_right_to_left_with_latin_runs_isolated() -> None:
    arabic = card(1, headline="شركة OpenAI تطلق نموذجا جديدا & AT&T", topic="تكنولوجيا")
    [message] = texts([arabic], language="ar")
    text = parse_html(message).text
    assert f"{RLM}شركة {FSI}OpenAI{PDI} تطلق" in text
    assert f"{FSI}AT&T{PDI}" in text
    assert "موجز الأخبار" in text
    sources = text.split("\n")[-2]
    assert sources == f"{RLM}{FSI}BBC News{PDI}، {FSI}AP{PDI} · 08:10", "its own direction"


def test_each_message_says_where_its_sections_end() -> None:
    cards = [card(1, topic="Sports"), card(2, topic="Economy"), card(3, topic="Sports")]
    [part] = digest(cards, language="en", day=DAY)
    ends = dict(part.ends)
    assert part.text[: ends["Sports"]].endswith("(Guardian)")
    assert "Story 3" in part.text[: ends["Sports"]] and "Story 2" not in part.text[: ends["Sports"]]
    assert ends["Economy"] == len(part.text)


def test_pack_never_cuts_a_block() -> None:
    blocks = ["a" * 3000, "b" * 3000, "c" * 50]
    assert [len(m) for m in pack(blocks)] == [3000, 3051]


def test_topics_come_in_the_order_of_their_best_story() -> None:
    ranked = [card(1, "Cup final", "Sports"), card(2, "Rates held", "Economy"),
              card(3, "Derby tonight", "Sports"), card(4, "Exports rise", "Economy")]  # fmt: skip
    [message] = texts(ranked)
    expected = ("Sports", "Cup final", "Derby tonight", "Economy", "Rates held", "Exports rise")
    order = [message.index(word, message.index("</i>")) for word in expected]
    assert order == sorted(order), "grouped, best group first, ranked within each"


def test_a_hostile_story_stays_valid_and_bounded() -> None:
    hostile = StoryCard(
        "<b>" * 2000 + "&amp; 📈" * 500, "https://n.test/" + "x" * 5000, "< & >" * 20_000,
        (("A" * 500, "https://a.test/"), ("<i>", "javascript:alert(1)")), "08:10", "T" * 900,
        tuple(Related("&lt;" * 300, f"https://r.test/{n}", "<s>" * 100) for n in range(3)),
    )  # fmt: skip
    messages = texts([hostile, card(1)])
    for message in messages:
        parsed = parse_html(message)  # raises if Telegram would refuse it
        assert parsed.length <= 4096 and len(message) <= 8000
    shown = "\n".join(parse_html(m).text for m in messages)
    assert "Story 1 <with> & marks" in shown, "the next story is not pushed out"
    assert "<b><b><b>" in shown, "the headline is shown as text, cut, not as markup"


def test_pack_cuts_an_overlong_line_to_its_text_never_inside_a_tag() -> None:
    line = '<a href="https://n.test/1">' + "word " * 2000 + "</a>"
    [message] = pack(["<b>Title</b>", line])
    parse_html(message)
    assert len(message) <= 4096 and message.startswith("<b>Title</b>\nword word")


def test_search_results_fit_one_message_whatever_the_titles() -> None:
    found = [("Headline " * 400, f"https://n.test/{n}", "Wire", WHEN) for n in range(40)]
    message = search_results("🔎 Stories about “x”:", found)
    assert len(message) <= 4096
    assert parse_html(message).text.count("Wire ·") >= 5, "as many results as fit"
