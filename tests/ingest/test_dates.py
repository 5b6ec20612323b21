import datetime as dt

import pytest

from bot.ingest.dates import date_from_url, find_date_in_text, parse_date

UTC = dt.UTC
PLUS3 = dt.timezone(dt.timedelta(hours=3))
PLUS2 = dt.timezone(dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-29T06:45:00+03:00", dt.datetime(2026, 11, 29, 6, 45, tzinfo=PLUS3)),
        ("2026-11-29T06:45:00Z", dt.datetime(2026, 11, 29, 6, 45, tzinfo=UTC)),
        ("2026-11-29T06:45:00.123+0200", dt.datetime(2026, 11, 29, 6, 45, tzinfo=PLUS2)),
        ("2026-11-29 06:45", dt.datetime(2026, 11, 29, 6, 45, tzinfo=UTC)),
        ("2026-11-29", dt.datetime(2026, 11, 29, tzinfo=UTC)),
        ("Sun, 29 Nov 2026 10:30:00 GMT", dt.datetime(2026, 11, 29, 10, 30, tzinfo=UTC)),
        ("٢٠٢٦-١١-٢٩T٠٨:٠٠:٠٠Z", dt.datetime(2026, 11, 29, 8, 0, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
    ],
)  # fmt: skip
def test_parse_date(value: str, expected: dt.datetime | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأحد ٢٩ نوفمبر ٢٠٢٦ - ١٠:٣٠ ص", (2026, 11, 29, 10, 30)),
        ("نشر في 3 تشرين الثاني 2026 الساعة 4:15 م", (2026, 11, 3, 16, 15)),
        ("الثلاثاء 1 جوان 2026", (2026, 6, 1, 0, 0)),
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", (2020, 4, 24, 21, 22)),
        ("Published November 29, 2026 at 8:05 pm", (2026, 11, 29, 20, 5)),
        ("Updated 29th Nov 2026", (2026, 11, 29, 0, 0)),
        ("29/11/2026 09:00", (2026, 11, 29, 9, 0)),
        ("no date here", None),
    ],
)
def test_find_date_in_visible_text(text: str, expected: tuple[int, ...] | None) -> None:
    found = find_date_in_text(text)
    assert (found.timetuple()[:5] if found else None) == expected


def test_date_from_url() -> None:
    assert date_from_url("https://x.test/world/2026/11/29/story") == dt.datetime(
        2026, 11, 29, tzinfo=UTC
    )
    assert date_from_url("https://x.test/20261129/story") == dt.datetime(2026, 11, 29, tzinfo=UTC)
    assert date_from_url("https://x.test/world/story-12345") is None
