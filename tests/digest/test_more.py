"""A section's "more", put into its message."""

from bot.digest.more import Section, expanded, grow, sections
from bot.digest.render import MAX_TEXT

TEXT = "<b>Header</b>\n<b>Sports</b>\n• one\n\n<b>Economy</b>\n• two"
ECONOMY_END = len(TEXT)
SPORTS_END = TEXT.index("\n\n<b>Economy")


def test_more_goes_at_the_end_of_its_section_and_the_others_keep_their_place() -> None:
    stored = [
        Section("Sports", SPORTS_END, (10, 11, 12, 13)),
        Section("Economy", ECONOMY_END, (20,)),
    ]
    blocks = {10: "• ten", 11: "• eleven", 12: "• twelve", 13: "• thirteen", 20: "• twenty"}
    once = grow(TEXT, stored, 0, blocks)
    assert once is not None and [s.shown for s in once] == [3, 0]
    both = grow(TEXT, once, 1, blocks)
    assert both is not None
    assert expanded(TEXT, both, blocks) == (
        "<b>Header</b>\n<b>Sports</b>\n• one\n• ten\n• eleven\n• twelve\n\n"
        "<b>Economy</b>\n• two\n• twenty"
    )
    assert both[0].remaining == 1 and both[1].remaining == 0


def test_more_stops_where_the_message_would_be_too_long() -> None:
    stored = [Section("Sports", SPORTS_END, (1, 2, 3))]
    blocks = {1: "• " + "a" * 2100, 2: "• " + "b" * 2100, 3: "• c"}
    grown = grow(TEXT, stored, 0, blocks)
    assert grown is not None and grown[0].shown == 1, "as many as fit"
    full = TEXT.replace("• one", "• " + "x" * (MAX_TEXT - 100))
    assert grow(full, [Section("Sports", full.index("\n\n<b>Eco"), (1, 2, 3))], 0,
                blocks) is None, "not one more fits"  # fmt: skip


def test_stored_sections_that_cannot_be_read_are_left_out() -> None:
    good = Section("Sports", 5, (1, 2), 1).as_json()
    assert sections([good, {"title": "x"}, {"title": "y", "end": "z", "next": []}]) == [
        Section("Sports", 5, (1, 2), 1)
    ]
