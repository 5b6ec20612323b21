"""Times as a reader says them."""

import datetime as dt

import pytest

from bot.digest.when import day, spoken

RIYADH = dt.timezone(dt.timedelta(hours=3))
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=RIYADH)  # a Tuesday


@pytest.mark.parametrize(
    ("moment", "english", "arabic"),
    [
        (dt.datetime(2026, 12, 1, 7, 40, tzinfo=RIYADH), "07:40", "٠٧:٤٠"),
        (dt.datetime(2026, 11, 30, 22, 10, tzinfo=RIYADH), "yesterday 22:10", "أمس ٢٢:١٠"),
        (dt.datetime(2026, 11, 29, 6, 20, tzinfo=RIYADH), "Sunday 06:20", "الأحد ٠٦:٢٠"),
        (dt.datetime(2026, 11, 20, 6, 20, tzinfo=RIYADH), "20 November", "٢٠ نوفمبر"),
        (dt.datetime(2025, 12, 20, 6, 20, tzinfo=RIYADH), "20 December 2025", "٢٠ ديسمبر ٢٠٢٥"),
        # A clock that runs ahead (a feed's "in ten minutes"): now, not tomorrow.
        (dt.datetime(2026, 12, 1, 8, 10, tzinfo=RIYADH), "08:00", "٠٨:٠٠"),
    ],
)
def test_a_moment_is_said_as_a_reader_says_it(moment: dt.datetime, english: str,
                                              arabic: str) -> None:  # fmt: skip
    assert spoken(moment, NOW, "en") == english
    assert spoken(moment, NOW, "ar") == arabic


def test_without_the_clock_only_the_day_is_said() -> None:
    yesterday = dt.datetime(2026, 11, 30, 22, 10, tzinfo=RIYADH)
    assert spoken(yesterday, NOW, "en", clock=False) == "yesterday"
    assert spoken(NOW, NOW, "en", clock=False) == ""


def test_a_day_in_words() -> None:
    assert day(NOW.date(), "en") == "Tuesday 1 December"
    assert day(NOW.date(), "ar") == "الثلاثاء ١ ديسمبر"
    assert day(dt.date(2026, 11, 29), "ar") == "الأحد ٢٩ نوفمبر"
