import re

import pytest

from bot import language
from bot.language import detect_language, normalize, script_letters, split_sentences, stems


def test_arabic_normalization_folds_letter_forms_marks_and_digits() -> None:
    assert normalize("أَحْمَدُ إلى آخرِ الـمـدينة ٱلكبرى ١٢٣ ۴۵") == "احمد الي اخر المدينه الكبري 123 45"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("الأوكرانية", "أوكرانيا"),
        ("والمفاوضات", "المفاوضات"),
        ("بالمفاوضات", "مفاوضات"),
        # Names that begin with ب ل ف ك keep them, and meet their adjectives.
        ("بريطانيا", "البريطانية"),
        ("لبنان", "اللبناني"),
        ("فلسطين", "الفلسطينيين"),
        ("باكستان", "الباكستاني"),
        ("إيران", "الإيرانية"),
        ("بوتين", "وبوتين"),
        ("السوريين", "سوريا"),
        ("الأمريكيون", "أمريكا"),
        # A root و goes with or without the article.
        ("وزارة", "الوزارة"),
        ("الولايات", "ولايات"),
        # A word of أل or إل (its hamza folded) keeps its ال after the article too.
        ("ألمانيا", "الألمانية"),
        ("إلكترونية", "الإلكترونية"),
        ("التزام", "الالتزام"),
        # After لل a word of ل keeps its ل; other words lose the article.
        ("لبنان", "للبنان"),
        ("الليرة", "لليرة"),
        ("اللاعبين", "للاعب"),
        ("الحكومة", "للحكومة"),
        ("البنات", "للبنات"),
        ("اللوحات", "للوحات"),
        ("القبول", "للقبول"),
        ("negotiations", "negotiating"),
        ("Elections", "elected"),
    ],
)
def test_forms_of_a_word_meet(one: str, other: str) -> None:
    assert stems(one) == stems(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # After لل only a whole ل-word (or it and an ending) keeps its ل: a word that
        # merely stems as one does is another word (للبنات, for the girls, is not Lebanon).
        ("لبنان", "للبنات"),
        ("لقب", "للقبول"),
    ],
)
def test_words_that_only_share_a_lam_words_stem_do_not_meet_it(one: str, other: str) -> None:
    assert stems(one) != stems(other)


def test_stop_words_are_left_out() -> None:
    assert stems("the talks of the day") == ["talk", "day"]
    assert stems("قال الوزير في بيان") == ["وزير", "بيان"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said on Sunday that the talks would resume.", "en"),
        ("قال الوزير إن المحادثات ستستأنف الأسبوع المقبل", "ar"),
        ("Le ministre a dit dimanche que les discussions reprendraient.", "other"),
        ("12345 !!!", "other"),
        ("The minister’s talks – “resumed” in Zürich on Sunday, as said.", "en"),
        ("Le ministre a dit « dimanche » que les discussions reprendraient.", "other"),
        ("قال Obama and the White House staff إن", "en"),
        ("قال Obama إن المحادثات in the White House ستستأنف", "ar"),
        ("قال الوزير Obama", "ar"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_script_letters_counts_each_script_letter_by_letter() -> None:
    assert script_letters("قال Obama إن 2024 كذا") == (8, 5)
    assert script_letters("12345 !!!") == (0, 0)


def test_english_sentences_keep_abbreviations_initials_decimals_and_quotes() -> None:
    text = ('Mr. Smith met Dr. Jones in the U.S. capital. Costs rose 3.5 per cent. '
            '"Is it over? Not yet," he said. Talks resume on Monday!')  # fmt: skip
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones in the U.S. capital.",
        "Costs rose 3.5 per cent.",
        '"Is it over? Not yet," he said.',
        "Talks resume on Monday!",
    ]


def test_arabic_sentences_end_at_arabic_marks_and_lines_not_commas() -> None:
    text = "قال الوزير، في بيان، إن المحادثات مستمرة. هل تنجح؟ ربما\nسطر آخر من النص"
    assert split_sentences(text) == [
        "قال الوزير، في بيان، إن المحادثات مستمرة.",
        "هل تنجح؟",
        "ربما",
        "سطر آخر من النص",
    ]


def test_the_stems_remembered_stay_bounded() -> None:
    names = " ".join(f"name{n}x" for n in range(200_100))  # a year of new names
    assert len(stems(names)) == 200_100
    assert len(language._KEPT) <= 200_000
    assert stems("the ministers") == ["minist"], "still right after forgetting"


def test_clip_cuts_at_a_word_and_says_so() -> None:
    from bot.language import clip

    assert clip("short enough", 20) == "short enough"
    assert clip("one two three four five", 14) == "one two three…"
    assert len(clip("x" * 5000, 300)) == 300, "an endless word is cut inside"
    assert clip("a\n\n  b", 10) == "a b", "on one line"


@pytest.mark.parametrize(
    "text",
    [
        "The Minister's talks_2024 resumed: 3.5% up, (again) [at] {noon}!",
        "The minister’s talks – “resumed” on Sunday… as said — twice\u00a0over",
        "Talks in Zürich ‘resumed’ on Sunday",  # a letter beyond ASCII: the pattern reads it
        "Ｆｕｌｌ width “quotes” and the ﬁrst ligature",  # folded by NFKC
        "قال الوزير “إن” المحادثات – ستستأنف ١٢٣",
        "",
        " \t\n ",
    ],
)
def test_words_are_the_word_pattern_over_the_normalized_text(text: str) -> None:
    assert language.words(text) == re.findall(r"\w+", normalize(text))


def test_a_sentence_ends_where_the_end_pattern_first_matches() -> None:
    # Marks that begin no end (a decimal, an ellipsis inside a line) before ones that do.
    text = ("Costs rose 3.5 per cent...or so. Really?! Yes.\n\nNext… one!» Then. . "
            "it went on.\nلماذا؟ لأن؛ هكذا.")  # fmt: skip
    found = [m.span() for m in language._ends(text)]
    assert found == [m.span() for m in language._END.finditer(text)]
    assert len(found) >= 8
