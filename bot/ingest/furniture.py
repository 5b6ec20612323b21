"""Lines at the edges of a body that are the page's, not the story's.

Before the story: the headline again, the page's own timestamp ("1 day ago",
"April 28, 2023 GMT"), the byline, the site's name, labels ("Advertising",
"Related topics"). After it: wire credits ("Reporting by ...", "___", "...
contributed to this report") and whatever follows them, a poll's
percentages, and teaser labels (a video's length, a headline without a full
stop). Never all the text there is. Pure.
"""

from __future__ import annotations

import re

from bot.ingest.dates import find_date_in_text

# Lines that stand before the story: a byline, a dateline alone, a date label.
_LEADING = re.compile(
    r"^(\(?[^()\n]{2,40}\)$|(حوار|كتب|كتبت|بقلم|إعداد|اعداد|تقرير|متابعة|ترجمة|by|words\s+by|"
    r"photos?\s+by)\s*[:：]?\s+\S.{0,50}$|(التاريخ|تاريخ\s+النشر|نشر\s+في|آخر\s+تحديث|"
    r"published|updated|posted|last\s+updated)\s*[:：]?.{0,60}$)",
    re.I,
)
_RELATIVE = re.compile(
    r"^(\d+|an?|one)\s+(seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago$|"
    r"^(just\s+now|yesterday|today)$|^منذ\s+\S+(\s+\S+)?$",
    re.I,
)
# A last line that only credits an agency: "(بترا)", "--(AFP)", "Reuters".
_AGENCY = re.compile(r"^[-–—\s]*\(?\s*[\w.\s]{2,20}\s*\)?\s*$")
_CREDIT = re.compile(
    r"^\(?((additional\s+)?reporting|writing|editing|compiled|produced|translated)\s+by\b|"
    r"contributed\s+(to\s+)?(this\s+)?report|^[_\-–—*]{3,}$|للنشرة\s+العربية|^\((إعداد|تحرير)\s",
    re.I,
)
_POLL = re.compile(r"^\S.{0,40}\d{1,3}(?:[.,]\d+)?\s*%$|^\d{1,3}(?:[.,]\d+)?\s*%")
# How a sentence, or a quoted one, ends.
_ENDS = re.compile(r"""[.!?؟。!…:;"”»'’)\]]$""")
_WORD = re.compile(r"\w+")
# Scripts written without spaces, where a count of words says nothing.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def trim(
    blocks: list[str], *, title: str, names: tuple[str, ...], asides: frozenset[str] = frozenset()
) -> list[str]:
    """`names`: the byline's names and the site's, which alone on a line are furniture;
    `asides`: paragraphs set in italics, which after the story are notes to the reader
    (a podcast's pitch, "Find us on ...") more than story."""
    known = {" ".join(_WORD.findall(n.lower())) for n in names if n}
    start = 0
    while start < min(6, len(blocks) - 1) and _leading(blocks[start], title, known):
        start += 1
    end = len(blocks)
    for n in range(max(start + 1, end - 3), end):  # a credit, and the bio or tags after it
        if _CREDIT.search(blocks[n]) and len(blocks[n]) < 400:
            end = n
            break
    polled = False
    while (end - start > 1 and end > len(blocks) - 8
           and (_trailing(blocks[end - 1]) or blocks[end - 1] in asides)):  # fmt: skip
        polled = polled or bool(_POLL.search(blocks[end - 1]))
        end -= 1
    if polled and end - start > 1 and len(blocks[end - 1]) < 150 and blocks[end - 1][-1] in "?؟":
        end -= 1  # the poll's question
    return blocks[start:end]


def _leading(line: str, title: str, known: set[str]) -> bool:
    words = " ".join(_WORD.findall(line.lower()))
    if not words or _LEADING.match(line) or words in known:
        return True
    if title and _same_headline(words.split(), _WORD.findall(title.lower())):
        return True
    if len(line) > 60:
        return False
    if _RELATIVE.match(line) or (len(words.split()) <= 8 and find_date_in_text(line)):
        return True
    return len(line.split()) <= 4 and not _ENDS.search(line) and not _UNSPACED.search(line)


def _same_headline(line: list[str], title: list[str]) -> bool:
    """The headline again, as the page shows it (its <h1> can word the title a little
    differently): at most twice as long, and sharing 70% of the words of both."""
    if not line or not title or len(line) > 2 * len(title):
        return False
    common = len(set(line) & set(title))
    return common >= 0.7 * len(set(line)) and common >= 0.7 * len(set(title))


def _trailing(line: str) -> bool:
    if len(line) <= 25 and _AGENCY.match(line):
        return True
    if len(line) > 60:
        return False
    if _POLL.search(line):
        return True
    return len(line.split()) <= 8 and not _ENDS.search(line) and not _UNSPACED.search(line)
