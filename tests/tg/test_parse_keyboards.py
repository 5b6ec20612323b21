import datetime as dt

import pytest

from bot.tg.keyboards import Press, decode, encode, topics
from bot.tg.parse import parse_time, parse_zone


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
     ("+4", "Etc/GMT-4"), ("utc", "UTC"), ("Mars/Base", None), ("UTC+3:30", None)],
)  # fmt: skip
def test_zones_by_name_city_or_offset(typed: str, zone: str | None) -> None:
    assert parse_zone(typed) == zone


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
    for foreign in ("", "x:1", "t:one:slug", "t:1:", "p:"):
        assert decode(foreign) is None
    with pytest.raises(ValueError, match="64 bytes"):
        encode(Press("toggle", 0, "s" * 70))
