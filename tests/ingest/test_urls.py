"""Keys articles are told apart by: bounded, so that every database can index them."""

from __future__ import annotations

from bot.ingest.urls import KEY_BYTES, bounded_key, url_key


def test_a_key_within_the_bound_is_itself() -> None:
    key = "example.com/world/2026/11/29/quake?id=7"
    assert bounded_key(key) == key and url_key(f"https://www.{key}") == key


def test_a_long_key_is_its_beginning_and_a_hash_of_the_whole() -> None:
    start = "example.com/story?utm=" + "x" * 3000
    one, other = bounded_key(start + "a"), bounded_key(start + "b")
    assert one != other, "two links that differ only at the end stay two articles"
    assert len(one.encode()) <= KEY_BYTES and one.startswith("example.com/story?utm=x")
    assert bounded_key(start + "a") == one, "the same link, the same key, at every poll"


def test_a_long_arabic_key_is_cut_between_characters() -> None:
    path = "/".join(["أخبار-العالم-اليوم"] * 200)  # two bytes a letter in UTF-8
    key = url_key(f"https://example.com/{path}")
    assert len(key.encode()) <= KEY_BYTES
    assert "\ufffd" not in key and key.startswith("example.com/أخبار-العالم-اليوم/")
