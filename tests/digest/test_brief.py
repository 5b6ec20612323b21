"""Summaries as a digest shows them."""

from bot.digest.brief import BUDGET, brief
from bot.language import split_sentences

ARTICLE = ("Dock workers ended a nine-day strike on Saturday. The port authority agreed to a "
           "7 percent pay rise. Ships will dock again on Monday.")  # fmt: skip


def test_an_article_of_three_sentences_is_not_repeated_whole() -> None:
    shown = brief(ARTICLE, headline="Dock workers end strike", text_length=len(ARTICLE))
    assert split_sentences(shown) == split_sentences(ARTICLE)[:2]


def test_a_summary_of_a_longer_article_keeps_three_sentences_within_the_budget() -> None:
    summary = " ".join(f"Sentence number {n} says one more thing about it." for n in range(6))
    shown = brief(summary, text_length=5000)
    assert len(split_sentences(shown)) == 3
    long = " ".join(f"Sentence {n} " + "goes on and on " * 8 + "to its end." for n in range(4))
    cut = brief(long, text_length=5000)
    assert len(cut) <= BUDGET and cut.endswith("to its end."), "whole sentences within it"
    endless = brief("word " * 400, text_length=5000)
    assert len(endless) <= BUDGET and endless.endswith("…")


def test_a_summary_that_opens_with_the_headline_does_not_say_it_twice() -> None:
    shown = brief("Dock workers end strike. They return on Monday.",
                  headline="Dock workers end strike", text_length=0)  # fmt: skip
    assert shown == "They return on Monday."
    assert brief("Dock workers end strike", headline="Dock workers end strike.") == ""
