"""Language helpers for matching, never for display: normalization, tokens and
stems, language detection, sentence splitting. Arabic and English. Pure.

Arabic normalization folds what writers vary freely: tashkeel and tatweel go,
alef forms (أ إ آ ٱ) become ا, ى becomes ي, ة becomes ه, Arabic-Indic and
Persian digits become 0-9. Arabic stems strip the article with the clitics
before it (ال، وال، بال، لل), a leading و, and common suffixes, so that
"الأوكرانية" and "أوكرانيا" meet; English stems are Snowball's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import Stemmer

_TASHKEEL = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Pairs, not a str.maketrans table: translate() with a dict walks the text in
# Python-level steps, 20x slower on Arabic than a few replace() calls.
_FOLD = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"),
    *((chr(0x0660 + d), str(d)) for d in range(10)),
    *((chr(0x06F0 + d), str(d)) for d in range(10)),
)  # fmt: skip
_WORD = re.compile(r"\w+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[a-zA-Z]")
_ARABIC_RUN = re.compile(r"[\u0600-\u06ff]+")
_LATIN_RUN = re.compile(r"[a-zA-Z]+")
_EN_COMMON = frozenset(
    (
        "the of and to in is that for on with as was by at from it an be are this "
        "said has have not but were which will after their its who"
    ).split()
)
# Longest first; normalized forms (ة is already ه).
# Of the one-letter proclitics only و: ب ل ف ك begin too many names (بريطانيا،
# لبنان، فرنسا، بوتين) and are stripped only before ال (بال، لل، فال، كال), as in
# Larkey's light10 stemmer.
_AR_PREFIXES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و")
_AR_SUFFIXES = ("تهما", "كما", "هما", "تها", "يين", "يون", "ات", "ون", "ين", "ان", "يه", "يا",
                "ها", "هم", "هن", "كم", "نا", "وا", "ه", "ي", "ا", "ت")  # fmt: skip
_AR_NISBA = frozenset(("يين", "يون", "يه", "يا", "ي"))
_AR_PREFIXES_BY_LETTER = {
    letter: tuple(p for p in _AR_PREFIXES if p[0] == letter)
    for letter in {p[0] for p in _AR_PREFIXES}
}
_AR_SUFFIXES_BY_LETTER = {
    letter: tuple(s for s in _AR_SUFFIXES if s[-1] == letter)
    for letter in {s[-1] for s in _AR_SUFFIXES}
}
_EN_STEMMER = Stemmer.Stemmer("english")
STOPWORDS_AR = frozenset(
    (
        "في من على الى إلى عن مع ان أن إن هذا هذه ذلك التي الذي الذين كان كانت قد لا ما "
        "لم لن هو هي هم بين كما او أو ثم حتى بعد قبل عند كل وقال قال وقالت قالت يوم "
        "اليوم ايضا أيضا وفي ومن وعلى الا إلا اي أي منذ خلال حيث تم وهو وهي التى"
    ).split()
)
STOPWORDS_EN = _EN_COMMON | frozenset(
    (
        "i you he she we they them his her our your my me us him or if so than then "
        "there these those what when where why how all any both each few more most "
        "other some such no nor only own same too very can just should now also into "
        "about over under again further been being do does did doing had having would "
        "could up down out off here one two new says say"
    ).split()
)


def normalize(text: str) -> str:
    """NFKC, lower case, Arabic letter forms folded, tashkeel and tatweel removed."""
    if text.isascii():  # nothing to fold: the common English case, made cheap
        return text.lower()
    text = _TASHKEEL.sub("", unicodedata.normalize("NFKC", text))
    for letter, folded in _FOLD:
        if letter in text:
            text = text.replace(letter, folded)
    return text.lower()


def words(text: str) -> list[str]:
    """Normalized words (letters and digits), in order."""
    found = _ascii_words(text)
    return _WORD.findall(normalize(text)) if found is None else found


# Bytes of ASCII text to what words() reads: letters lower-cased, digits and _ kept
# (the word characters, \w), all else a space. And the punctuation of English news
# that is not ASCII (curly quotes, dashes, ellipsis, no-break space), which no
# normalization turns into a word character or joins to one.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() or chr(c) == "_" else 32 for c in range(128)
) + bytes(128)
_NEWS_PUNCTUATION = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
_BEYOND_NEWS_ASCII = re.compile(f"[^\\x00-\\x7f{_NEWS_PUNCTUATION}]")


def _ascii_words(text: str) -> list[str] | None:
    """_WORD.findall(normalize(text)) of a text that is ASCII but for news punctuation,
    in C from end to end (a bytes translate() and split(): on a sentence 40% cheaper
    than the pattern, on a whole text 2.5x); None for any other text."""
    if not text.isascii():
        if _BEYOND_NEWS_ASCII.search(text):
            return None
        for mark in _NEWS_PUNCTUATION:
            if mark in text:
                text = text.replace(mark, " ")
    return text.encode().translate(_ASCII_WORDS).decode().split()


def stem(word: str) -> str:
    """The matching stem of one normalized word (stems() remembers them)."""
    if _ARABIC.match(word):
        return _arabic_stem(word)
    return str(_EN_STEMMER.stemWord(word)) if word.isascii() else word


class _Stems(dict[str, str]):
    """word -> its stem, or "" for a word stems() leaves out. A miss is worked out
    once; a hit is one lookup in C, where a call per word with its tests cost a
    quarter of stems() (which every curation stage runs over every article)."""

    def __init__(self, *, drop_stopwords: bool) -> None:
        super().__init__()
        self.drop_stopwords = drop_stopwords

    def __missing__(self, word: str) -> str:
        if len(self) >= 200_000:  # news keeps bringing new names: stay bounded
            self.clear()
        left_out = len(word) < 2 or (
            self.drop_stopwords and (word in STOPWORDS_EN or word in _AR_STOP)
        )
        self[word] = value = "" if left_out else stem(word)
        return value


_KEPT, _ALL = _Stems(drop_stopwords=True), _Stems(drop_stopwords=False)


def stems(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Stems of the text's words, in order; stop words and 1-letter words left out."""
    found = map((_KEPT if drop_stopwords else _ALL).__getitem__, words(text))
    return list(filter(None, found))  # "" for a word left out


def _arabic_stem(word: str) -> str:
    # Only the clitics a word can start (end) with are tried: a third of the time.
    for prefix in _AR_PREFIXES_BY_LETTER.get(word[0], ()):
        # و only on a long word: وزير keeps its first letter.
        if word.startswith(prefix) and len(word) - len(prefix) >= (3 if len(prefix) > 1 else 4):
            word = word[len(prefix) :]
            if prefix.endswith("لل") and _is_lam_word("ل" + word):
                return _ending_stem("ل" + word)  # للبنان is ل and لبنان, not لل and بنان
            # A word of أل or إل, its hamza folded, starts as the article does: after the
            # article it goes as it goes without (الألمانية as ألمانيا, الالتزام as التزام).
            if len(prefix) > 1 and word.startswith("ال") and len(word) >= 5:
                word = word[2:]
            # A long word's leading و goes after the article too (الوزارة as وزارة): a
            # root و (وزارة، ولاية) is lost either way, and the two forms meet.
            if word[0] == "و" and len(word) >= 5:
                word = word[1:]
            break
    return _ending_stem(word)


def _ending_stem(word: str) -> str:
    for suffix in _AR_SUFFIXES_BY_LETTER.get(word[-1], ()):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # An adjective of a name (اللبناني، الفلسطينية) ends as the name does, so
            # that it meets the name, whose ending ان or ين goes (لبنان، فلسطين).
            if suffix in _AR_NISBA:
                for ending in ("ان", "ين"):
                    if word.endswith(ending) and len(word) - 2 >= 3:
                        word = word[:-2]
                        break
            break
    return word


# Words of the news that begin with ل: after ل ("for"), لبنان is written للبنان and
# اللجنة للجنة, as if the article were there and the word began after it. The word
# must be one of them whole, or with an ending (لاعبين، لوحات، لبنانية), not only
# share a stem: للبنات (for the girls) stems as لبنان does, and is بنات; للقبول is
# قبول, not لقب and an ending.
_AR_LAM_WORDS = frozenset(
    normalize(word).removesuffix("ه")  # لجنة's plural drops its ة: لجان aside, لوحات
    for word in (
        "لبنان ليبيا لندن لاهاي لاعب لجنة ليرة لقاء لقب لعبة لاجئ لقاح ليلة لحظة لائحة "
        "لواء لوحة لجوء"
    ).split()
)
_AR_LAM_ENDINGS = frozenset(("", "ه", *_AR_SUFFIXES))


def _is_lam_word(word: str) -> bool:
    return any(
        word.startswith(lam) and word[len(lam) :] in _AR_LAM_ENDINGS for lam in _AR_LAM_WORDS
    )


def script_letters(text: str) -> tuple[int, int]:
    """How many of the text's letters are Arabic, and how many Latin. Counted by the
    run, not letter by letter: a list of 3,000 one-letter strings cost more than the
    rest of language detection."""
    return sum(map(len, _ARABIC_RUN.findall(text))), sum(map(len, _LATIN_RUN.findall(text)))


def detect_language(text: str) -> str:
    """ar, en or other, from the script and, for Latin text, common English words."""
    sample = text[:4000]
    if sample.isascii() or not _ARABIC.search(sample):  # no Arabic: is there Latin?
        arabic, latin = 0, 1 if _LATIN.search(sample) else 0
    else:
        arabic = sum(map(len, _ARABIC_RUN.findall(sample)))
        # Arabic letters as many as all other characters are as many as the Latin ones:
        # those need no counting (an Arabic text, the common case of this branch).
        latin = 0 if 2 * arabic >= len(sample) else sum(map(len, _LATIN_RUN.findall(sample)))
    if arabic == 0 and latin == 0:
        return "other"
    if arabic >= latin:
        return "ar"
    tokens = _ascii_words(sample)
    tokens = _WORD.findall(sample.lower()) if tokens is None else tokens
    common = sum(map(_EN_COMMON.__contains__, tokens))
    return "en" if tokens and common / len(tokens) >= 0.08 else "other"


_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof sr jr st gen col lt sgt capt cmdr gov sen rep rev hon pres "
        "vs etc inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec no fig "
        "approx dept est"
    ).split()
)
# A sentence ends at . ! ? ؟ ؛ … (and the closing quotes or brackets after them), or at
# a line break; never at the Arabic comma.
_WORD_BEFORE = re.compile(r"(\w+)\.?$")
_END = re.compile(r"([.!?؟؛…]+[\"'”’»)\]]*)(\s+)|\n+")
_END_START = re.compile(r"[.!?؟؛…\n]")  # where _END can begin


def split_sentences(text: str) -> list[str]:
    """Sentences of Arabic or English text, keeping abbreviations, initials and decimals."""
    sentences: list[str] = []
    start = 0
    for match in _ends(text):
        if match.group(1) and _not_an_end(text, match.start(1), match.end()):
            continue
        piece = text[start : match.end(1) if match.group(1) else match.start()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return _merge_quotes(sentences)


def _ends(text: str) -> Iterator[re.Match[str]]:
    """_END.finditer(text), tried only where an end can begin: at the marks. The
    pattern's alternatives give the regex engine no first character to look for, so
    finditer tries every place in the text (three times slower)."""
    search, match = _END_START.search, _END.match
    at = 0
    while (mark := search(text, at)) is not None:
        found = match(text, mark.start())
        if found is None:
            at = mark.start() + 1
        else:
            yield found
            at = found.end()


def _not_an_end(text: str, dot: int, after: int) -> bool:
    if text[dot] != ".":
        return False
    before = _WORD_BEFORE.search(text, max(0, dot - 20), dot + 1)
    word = before.group(1) if before else ""
    if word.lower() in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():  # initials: J. K. Rowling, U.S.
        return True
    following = text[after : after + 1]
    return bool(following) and following.islower() and following.isascii()


def _merge_quotes(sentences: list[str]) -> list[str]:
    """A quotation split inside itself is put back together."""
    merged: list[str] = []
    for sentence in sentences:
        if merged and _open_quote(merged[-1]):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged


def _open_quote(text: str) -> bool:
    straight = text.count('"') % 2 == 1
    curly = text.count("“") > text.count("”")
    guillemet = text.count("«") > text.count("»")
    return straight or curly or guillemet


_AR_STOP = frozenset(normalize(word) for word in STOPWORDS_AR)


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters: cut after the last whole word
    that fits (or inside an endless one), with "…" to say so."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:،؛-") + "…"
