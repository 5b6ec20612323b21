"""What an article is placed in a story by: the stems of its headline and of its lead
or text (bot/curation/stories.py weighs them), and a story's key terms. Pure."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from bot.language import stems

if TYPE_CHECKING:
    from bot.curation.summarize import Sentences

# What is read of an article's lead or text for its words: the first LEAD_CHARS
# characters, and the whole text when its meaning places it (placing_words). A long
# text shares its event's names and numbers all through, and meaning keeps them from
# merging stories on one subject; by words alone, more of a text dilutes what its
# headline and first lines say (on the long sets' 1st halves: CNN 0.901 -> 0.944,
# BBC Arabic 0.934 -> 0.938 at 2,400 characters; the whole text, 0.949 and 0.942,
# 2nd halves 0.939 -> 0.941 and 0.923 -> 0.922). The summary has stemmed the whole
# text already: placing reads its stems.
LEAD_CHARS = 600
# ... and at most this many words of a text: a bound on memory, not a tuned figure. A
# story's words are held in the index for the window (about 70 KB an article at 250
# distinct stems, 26 KB at the 64 of LEAD_CHARS); a news report is a few hundred words
# (the long sets' articles: a median of 803 in English, 357 in Arabic), a long read
# ten thousand.
MEANT_WORDS = 1500


def story_words(title: str, text: str) -> Counter[str]:
    """What an article is about, for placing it by words: the stems of its headline
    and of its lead or first lines (LEAD_CHARS)."""
    return Counter(stems(f"{title} {text[:LEAD_CHARS]}"))


def placing_words(
    title: str, lead: str | None, text: str, *, meant: bool, split: Sentences | None = None
) -> Counter[str]:
    """The words an article is placed by. Placed by its meaning too, it is read on from
    its lead through its whole text: a feed's lead is a sentence or two, and the names
    and numbers that tell one event from another run all through a text (up to
    MEANT_WORDS). `split`: sentences_of(text), when the summary has worked it out: its
    stems are the text's (Sentences.stems_of_words), so the text is not stemmed again."""
    if not meant:
        return story_words(title, lead or text)
    words = Counter(stems(f"{title} {lead or ''}"))
    if split is not None:
        words.update(split.stems_of_words(0, MEANT_WORDS))
    else:
        words.update(stems(" ".join(text.split()[:MEANT_WORDS])))
    return words


def key_terms(counts: Counter[str], count: int = 12) -> list[str]:
    """The words used most: a story's key terms."""
    return [w for w, _ in counts.most_common(count)]
