import datetime as dt

import pytest

from bot.digest.coverage import parse_languages
from bot.digest.more import Section
from bot.tg.keyboards import (
    Press,
    decode,
    decode_more,
    decode_news_languages,
    encode,
    more,
    news_languages,
    topics,
)
from bot.tg.parse import SourceURLError, parse_time, parse_zone, source_url, why_not_zone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("8", (8, 0)), ("08:30", (8, 30)), ("20.15", (20, 15)), ("8am", (8, 0)),
     ("8:30 pm", (20, 30)), ("12am", (0, 0)), ("٨:٣٠", (8, 30)), ("٨ مساءً", (20, 0)),
     ("7 ص", (7, 0))],
)  # fmt: skip
def test_times_as_people_type_them(typed: str, expected: tuple[int, int]) -> None:
    assert parse_time(typed) == dt.time(*expected)


@pytest.mark.parametrize("typed", ["25", "8:75", "13pm", "noon", "", "8:3"])
def test_nonsense_times(typed: str) -> None:
    assert parse_time(typed) is None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [("Asia/Riyadh", "Asia/Riyadh"), ("asia/riyadh", "Asia/Riyadh"), ("Cairo", "Africa/Cairo"),
     ("القاهرة", "Africa/Cairo"), ("UTC+3", "Etc/GMT-3"), ("gmt-5", "Etc/GMT+5"),
     ("+4", "Etc/GMT-4"), ("utc", "UTC"), ("Mars/Base", None), ("UTC+3:30", None),
     ("UTC+14", "Etc/GMT-14"), ("UTC-12", "Etc/GMT+12"), ("+03:00", "Etc/GMT-3"),
     ("UTC-13", None), ("UTC-14", None), ("UTC+15", None), ("GMT+٣", "Etc/GMT-3")],
)  # fmt: skip
def test_zones_by_name_city_or_offset(typed: str, zone: str | None) -> None:
    assert parse_zone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "why"),
    [("UTC-13", "offset_range"), ("UTC-14", "offset_range"), ("+15", "offset_range"),
     ("UTC+5:30", "offset_minutes"), ("Mars/Base", "unknown"), ("😀", "unknown")],
)  # fmt: skip
def test_why_a_zone_is_not_one(typed: str, why: str) -> None:
    assert parse_zone(typed) is None
    assert why_not_zone(typed) == why


@pytest.mark.parametrize(
    ("given", "url"),
    [("example.com/feed", "https://example.com/feed"), ("localhost:8080/rss",
      "https://localhost:8080/rss"), ("http:example.com", "http://example.com"),
     ("HTTPS://News.Example/rss", "HTTPS://News.Example/rss"),
     ("http://[::1]:8080/feed", "http://[::1]:8080/feed"),
     ("https://مثال.مصر/rss", "https://مثال.مصر/rss"), ("my_site.example", "https://my_site.example")],
)  # fmt: skip
def test_source_urls_as_people_give_them(given: str, url: str) -> None:
    assert source_url(given) == url


@pytest.mark.parametrize(
    ("given", "reason"),
    [("javascript:alert(1)", "not_http"), ("mailto:desk@news.example", "not_http"),
     ("ftp://news.example/feed", "not_http"), ("http://[::1", "url_unreadable"),
     ("https://news.example:port/", "url_unreadable"), ("https:///feed", "url_unreadable"),
     ("http://a..b/", "url_unreadable"), ("https://" + "a" * 64 + ".com", "url_unreadable"),
     ("http://[fe80::zz]/", "url_unreadable"), ("https://😀.com", "host_characters"),
     ("https://news!.example", "host_characters"), ("http://١٢٧.٠.٠.١/feed", "host_digits"),
     ("https://۳news.example", "host_digits")],
)  # fmt: skip
def test_source_urls_that_no_site_can_have(given: str, reason: str) -> None:
    with pytest.raises(SourceURLError) as refused:
        source_url(given)
    assert refused.value.reason == reason


def test_topic_keyboard_marks_pages_and_fits_telegram() -> None:
    choices = [(f"topic-{n:02d}-" + "x" * 20, f"Topic {n}") for n in range(25)]
    first = topics(choices, {"topic-01-" + "x" * 20}, page=0)
    rows = first.inline_keyboard
    assert rows[0][1].text == "✅ Topic 1"
    assert [b.text for b in rows[-1]] == ["▶"]
    last = topics(choices, set(), page=2)
    assert [b.text for b in last.inline_keyboard[-1]] == ["◀"]
    for row in [*rows, *last.inline_keyboard]:
        for button in row:
            assert len(str(button.callback_data).encode()) <= 64
            assert decode(str(button.callback_data)) is not None


def test_callback_data_round_trip_and_foreign_data() -> None:
    press = Press("toggle", 1, "palestine-israel")
    assert decode(encode(press)) == press
    assert decode("p:3") == Press("page", 3)
    assert decode(encode(Press("words", 2))) == Press("words", 2) == decode("w:2")
    for foreign in ("", "x:1", "t:one:slug", "t:1:", "p:"):
        assert decode(foreign) is None
    with pytest.raises(ValueError, match="64 bytes"):
        encode(Press("toggle", 0, "s" * 70))


def test_more_buttons_fit_telegram_and_foreign_data_is_none() -> None:
    long_name = Section("كرة القدم الأوروبية وأخبار الدوريات الكبرى كلها " * 2, 10, (1, 2))
    markup = more(10**17, [Section("Economy", 5, (1,)), Section("Gone", 9, (3,), 1), long_name],
                  "en")  # fmt: skip
    assert markup is not None
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert buttons[0].text == "➕ More: Economy", "a section with nothing left: none"
    assert len(buttons) == 2 and len(buttons[1].text) <= 60
    for button in buttons:
        assert len(str(button.callback_data).encode()) <= 64
    assert decode_more(str(buttons[1].callback_data)) == (10**17, 2)
    for foreign in ("d:1", "d:1:2:3", "d:١:0", "d:-1:0", "x:1:0", "d:1:0 ", ""):
        assert decode_more(foreign) is None, foreign
    assert more(1, [Section("Gone", 9, (3,), 1)], "ar") is None


def test_news_language_buttons_mark_the_choice() -> None:
    markup = news_languages("ar,en", "ar")
    assert [b.text for row in markup.inline_keyboard for b in row] == [
        "العربية", "الإنجليزية", "✅ العربية والإنجليزية"]  # fmt: skip
    assert [decode_news_languages(str(b.callback_data)) for row in markup.inline_keyboard
            for b in row] == ["ar", "en", "ar,en"]  # fmt: skip
    assert decode_news_languages("n:fr") is None
    assert parse_languages("English") == "en" and parse_languages("ar en") == "ar,en"
    assert parse_languages("كلاهما") == "ar,en" and parse_languages("klingon") is None
    assert parse_languages("") is None
