import datetime as dt

from bot.digest.render import FSI, PDI, RLM, StoryCard, digest, pack, search_results
from bot.loopback.telegram_html import parse_html

WHEN = dt.datetime(2026, 11, 29, 8, 10, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def card(n: int, headline: str = "", topic: str = "World", summary: str = "S.") -> StoryCard:
    return StoryCard(headline or f"Story {n} <with> & marks", f"https://n.test/{n}?a=1&b=2",
                     summary, ("BBC News", "AP"), WHEN, topic,
                     (("Other view", "https://o.test/1", "Guardian"),))  # fmt: skip


def test_every_message_is_valid_telegram_html_within_the_limit() -> None:
    cards = [card(n, summary="word " * 150) for n in range(30)]
    messages = digest(cards, language="en", date=WHEN.date())
    assert len(messages) > 1
    for message in messages:
        parsed = parse_html(message)  # raises if Telegram would refuse it
        assert parsed.length <= 4096
    text = "\n".join(parse_html(m).text for m in messages)
    assert "Story 0 <with> & marks" in text
    assert text.count("Story 29") == 1, "a story is never cut between messages"


def test_arabic_lines_start_right_to_left_with_latin_runs_isolated() -> None:
    arabic = card(1, headline="شركة OpenAI تطلق نموذجا جديدا & AT&T", topic="تكنولوجيا")
    [message] = digest([arabic], language="ar", date=WHEN.date())
    text = parse_html(message).text
    assert f"{RLM}شركة {FSI}OpenAI{PDI} تطلق" in text
    assert f"{FSI}AT&T{PDI}" in text
    assert "موجز الأخبار" in text


def test_pack_never_cuts_a_block() -> None:
    blocks = ["a" * 3000, "b" * 3000, "c" * 50]
    assert [len(m) for m in pack(blocks)] == [3000, 3051]


def test_topics_come_in_the_order_of_their_best_story() -> None:
    ranked = [card(1, "Cup final", "Sports"), card(2, "Rates held", "Economy"),
              card(3, "Derby tonight", "Sports"), card(4, "Exports rise", "Economy")]  # fmt: skip
    [message] = digest(ranked, language="en", date=WHEN.date())
    expected = ("Sports", "Cup final", "Derby tonight", "Economy", "Rates held", "Exports rise")
    order = [message.index(word) for word in expected]
    assert order == sorted(order), "grouped, best group first, ranked within each"


def test_a_hostile_story_stays_valid_and_bounded() -> None:
    hostile = StoryCard(
        "<b>" * 2000 + "&amp; 📈" * 500, "https://n.test/" + "x" * 5000, "< & >" * 20_000,
        ("A" * 500, "<i>"), WHEN, "T" * 900,
        tuple(("&lt;" * 300, f"https://r.test/{n}", "<s>" * 100) for n in range(3)),
    )  # fmt: skip
    messages = digest([hostile, card(1)], language="en", date=WHEN.date())
    for message in messages:
        parsed = parse_html(message)  # raises if Telegram would refuse it
        assert parsed.length <= 4096 and len(message) <= 4096
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
