"""An article as topic matching reads it: its fields' stems, its section hints and,
when the embedder gave one, what it means (a unit vector). Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote

import numpy as np
import numpy.typing as npt

from bot.language import normalize, stems

Vector = npt.NDArray[np.float32]
BODY_WORDS = 400  # what is read of the body
LEAD_WORDS = 40  # an article without a lead: its first words are read as one
WORDS_READ = LEAD_WORDS + BODY_WORDS  # of the body, at most
MAX_SECTION_WORDS = 3  # a longer path part is a headline's slug, not a section
_ID = re.compile(r"[-_]?\d+$")  # "business-44688044": the section before an article's id
_EXTENSION = re.compile(r"\.[a-z0-9]{2,5}$")
_JOINERS = re.compile(r"[-_\s]+")
_AND = frozenset(("and", "&", "و"))


def section_key(text: str) -> str:
    """A feed category, a URL path part or a catalog's section, in one spelling:
    "Middle East", "middle_east" and "middle-east" meet, and so do "الرياضة" and
    "رياضة" (the article "ال" is left out of each word)."""
    words = _JOINERS.split(normalize(text).strip().strip("/"))
    return "-".join(_bare(w) for w in words if w)


def _bare(word: str) -> str:
    """An Arabic word without its article: الرياضة -> رياضه (normalized), العالم -> عالم."""
    return word[2:] if len(word) >= 4 and word.startswith("ال") else word


def _sides(words: list[str]) -> list[list[str]]:
    """A section name's sides of its "and"s: science-and-tech, Television & radio, and
    Arabic's "و" before a word (ثقافة وفنون: culture, arts)."""
    sides: list[list[str]] = [[]]
    for number, word in enumerate(words):
        if word in _AND:
            sides.append([])
        elif number and word.startswith("و") and len(word) >= 4:
            sides.append([_bare(word[1:])])
        else:
            sides[-1].append(word)
    return [side for side in sides if side]


@dataclass(frozen=True)
class Document:
    title: str
    lead: str = ""
    body: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    vector: Vector | None = field(default=None, compare=False, repr=False)
    # stems(" ".join(body.split()[start:stop])), when the caller has the body's stems
    # already (the summary's sentences): the body is not stemmed again.
    body_stems: Callable[[int, int], list[str]] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def stems_of(self) -> dict[str, list[str]]:
        """Each field's stems, worked out once (rules and profiles both read them). An
        article without a lead has its first LEAD_WORDS words read as its lead."""
        of_words = self.body_stems or self._stems_of_words
        if self.lead.strip():
            lead, body = stems(self.lead), of_words(0, BODY_WORDS)
        else:
            lead = of_words(0, LEAD_WORDS)
            body = of_words(LEAD_WORDS, WORDS_READ)
        return {"title": stems(self.title), "lead": lead, "body": body}

    def _stems_of_words(self, start: int, stop: int) -> list[str]:
        return stems(" ".join(self.body.split()[start:stop]))

    def words(self) -> Counter[str]:
        fields = self.stems_of
        return Counter(fields["title"] * 2 + fields["lead"] + fields["body"])

    @cached_property
    def hints(self) -> frozenset[str]:
        """Where the source filed it: its feed categories, whole and each side of an
        "and" (`Science & Technology`, `ثقافة وفنون`), and the parts of its URL's
        path that name a section (`/sport/`, `business-4468`), each part whole, after
        the part before it (`news/world`), and, for a part of a few words, each side
        of an "and" and its last word (`science-and-tech`: science, tech;
        `international-sport`: sport). A headline's slug is no section. Arabic words
        are read without their article (section_key)."""
        found: set[str] = set()
        for category in self.categories:  # "World news", "Television & radio", "الرياضة"
            words = section_key(category).split("-")
            found.add("-".join(words))
            if len(words) <= MAX_SECTION_WORDS:  # each side whole: "Arab world" is not world
                found.update("-".join(side) for side in _sides(words))
        # An Arabic site's path is percent-encoded (/%D8%B1%D9%8A.../: رياضة).
        path = normalize(unquote(self.url.split("://", 1)[-1])).split("?")[0].split("#")[0]
        parts = [p for p in path.split("/")[1:] if p]
        for number, part in enumerate(parts):
            words = [_bare(w) for w in _JOINERS.split(_ID.sub("", _EXTENSION.sub("", part)))
                     if w and not w.isdigit()]  # fmt: skip
            if not words or len(words) > MAX_SECTION_WORDS:
                continue
            found.add("-".join(words))
            if number:
                found.add(f"{section_key(parts[number - 1])}/{'-'.join(words)}")
            for side in _sides(words):
                found.update(("-".join(side), side[-1]))
        found.discard("")
        return frozenset(found)


def keyword_matches(keyword: str, doc: Document) -> bool:
    """A free keyword a user follows ("إيلون ماسك", "OpenAI") appears in the document."""
    phrase = stems(keyword, drop_stopwords=False)
    if not phrase:
        return False
    tokens = stems(f"{doc.title} {doc.lead} {doc.body}", drop_stopwords=False)
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))
