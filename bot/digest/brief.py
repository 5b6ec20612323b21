"""A story's summary as a digest shows it: two or three sentences within a budget. Pure.

Whatever curation stored (its own summary, a model's, a feed's description),
the digest shows at most SENTENCES whole sentences within BUDGET characters,
never the headline again, and never a whole article: the summary of an article
of three sentences is all of it, and a reader who has read all of it has no
reason to open the link, so it loses its last sentence.
"""

from __future__ import annotations

from bot.language import clip, split_sentences, words

SENTENCES = 3
BUDGET = 320  # characters
WHOLE = 0.85  # a summary this long against its article's text is all of the article


def brief(summary: str, *, headline: str = "", text_length: int = 0) -> str:
    """What to show of `summary` under `headline`; `text_length`: the characters of the
    whole article (0: not known)."""
    flat = " ".join(summary.split())
    sentences = split_sentences(flat)
    if sentences and headline and words(sentences[0]) == words(headline):
        sentences = sentences[1:]  # a feed's description that opens with the headline
    if not sentences:
        return ""
    most = SENTENCES
    if text_length and len(flat) >= WHOLE * text_length and len(sentences) > 1:
        most = min(most, len(sentences) - 1)  # never the whole article
    kept: list[str] = []
    for sentence in sentences[:most]:
        if kept and len(" ".join([*kept, sentence])) > BUDGET:
            break
        kept.append(sentence)
    return clip(" ".join(kept), BUDGET)
