import datetime as dt

import pytest

from bot.digest.schedule import next_due, parse_hhmm

UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_next_due_in_the_chats_own_time() -> None:
    # Riyadh is UTC+3 all year: 08:00 there is 05:00 UTC.
    assert next_due(dt.time(8), "Asia/Riyadh", at(2026, 11, 29, 4, 0)) == at(2026, 11, 29, 5, 0)
    assert next_due(dt.time(8), "Asia/Riyadh", at(2026, 11, 29, 5, 0)) == at(2026, 11, 30, 5, 0)


def test_across_a_spring_forward_the_local_time_is_kept() -> None:
    # Europe/London: clocks go from 01:00 to 02:00 on 29 March 2026.
    before = next_due(dt.time(8), "Europe/London", at(2026, 3, 28, 9, 0))
    after = next_due(dt.time(8), "Europe/London", before)
    assert before == at(2026, 3, 29, 7, 0), "08:00 BST"
    assert after == at(2026, 3, 30, 7, 0)
    assert next_due(dt.time(8), "Europe/London", at(2026, 3, 27, 9, 0)) == at(2026, 3, 28, 8, 0)


def test_a_skipped_time_moves_to_the_first_minute_after_the_jump() -> None:
    # 01:30 does not exist in London on 29 March 2026; the clocks read 02:00 at 01:00 UTC.
    assert next_due(dt.time(1, 30), "Europe/London", at(2026, 3, 29, 0, 0)) == (
        at(2026, 3, 29, 1, 0)
    )


def test_a_repeated_time_is_taken_the_first_time() -> None:
    # Clocks go back from 02:00 to 01:00 on 25 October 2026: 01:30 happens twice.
    assert next_due(dt.time(1, 30), "Europe/London", at(2026, 10, 24, 12, 0)) == (
        at(2026, 10, 25, 0, 30)
    )


@pytest.mark.parametrize("value", ["8:00", "08:00", "23:59", "0:05"])
def test_parse_hhmm(value: str) -> None:
    assert parse_hhmm(value).minute in (0, 5, 59)


def test_parse_hhmm_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hhmm("25:00")
