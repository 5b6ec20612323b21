from bot.curation.summarize import pick, sentences_of, summarize
from bot.language import stems

STORY = (
    "Water ministers from three countries agreed on Sunday to share the river's flow during "
    "droughts. The deal sets a minimum release from the dam in dry years and creates a "
    "commission to settle disputes. He added that it was a good day. Negotiations over the "
    "river began in 2015 and stalled several times over the dam. The river feeds farms in "
    "all three countries, and the dam holds water for the dry season. Talks on the "
    "commission's rules will start next month."
)


def test_two_or_three_sentences_in_article_order_within_the_budget() -> None:
    summary = summarize(STORY, title="Water deal signed", language="en", budget=400)
    assert summary.startswith("Water ministers from three countries agreed")
    assert len(summary) <= 400
    assert 2 <= summary.count(". ") + 1 <= 3
    short = summarize(STORY, language="en", budget=120)
    assert short == (
        "Water ministers from three countries agreed on Sunday to share the river's flow "
        "during droughts."
    )


def test_the_headline_is_never_repeated() -> None:
    title = "Water ministers from three countries agreed on Sunday to share the river's flow"
    summary = summarize(STORY, title=title + " during droughts", language="en")
    assert "Water ministers from three countries" not in summary


def test_a_sentence_pointing_back_gives_way() -> None:
    sentences = [
        "The central bank raised its main interest rate to 5 percent on Thursday.",
        "The weather in the capital stayed mild for the season.",
        "He said inflation kept rising across the country and prices would rise further this year.",
        "Inflation in the country reached 9 percent, with prices rising for the fifth month.",
        "Shops in the capital closed early for the holiday.",
    ]
    assert pick(sentences, 2, language="en") == [0, 3], "not 2, which points back at 1"


def test_broken_quotes_are_avoided() -> None:
    sentences = [
        "The mayor opened the new bridge across the river on Monday morning.",
        "The weather was cold and grey for the opening.",
        '"The new bridge across the river will change how this city moves, the mayor said.',
        "The bridge across the river cost 40 million dollars and links the old town.",
    ]
    assert pick(sentences, 2, language="en") == [0, 3]


def test_arabic_summary() -> None:
    text = (
        "افتتح وزير الثقافة صباح اليوم الدورة الجديدة من معرض الكتاب الدولي بمشاركة أربعين دولة. "
        "ويستمر المعرض عشرة أيام، ويضم برنامجه ندوات وأمسيات شعرية. "
        "وأضاف أن عدد الزوار المتوقع يتجاوز مليوني زائر. "
        "ويحل على المعرض هذا العام ضيف شرف من أمريكا اللاتينية للمرة الأولى."
    )
    summary = summarize(text, title="افتتاح معرض الكتاب")
    assert summary.startswith("افتتح وزير الثقافة")
    assert "معرض" in summary


# Texts where a cheaper reading could go wrong: tashkeel and tatweel, a combining mark
# after a space, compatibility forms NFKC widens (´ to a space and a mark, ﬁ, ½),
# no-break and ideographic spaces, a final sigma, line breaks, quotes split inside.
AWKWARD = [
    STORY,
    "قالَ الوزيرُ إنّ المـفاوضات ستُستأنف. وأضاف: «الاتفاق قريب». ٣ وفود حضرت\n\nالاجتماع",
    "Café ́ déjà-vu ´ ﬁnal ½ ΟΔΟΣ ΟΔΟΣ. Mr. J. K. Rowling said\u00a0so.\u3000Then 3.5% rose!",
    'He said "it is over. We won." Then left.  \t  Tabs\tand\r\nbreaks… «نعم» ؟ لا؛ ربما',
    "",
    "   only spaces   ",
]


def test_a_texts_stems_are_its_sentences_stems_end_to_end() -> None:
    # The curator stems a text once, for its summary and its search terms together.
    for text in AWKWARD:
        assert sentences_of(text).stems_of_text() == stems(text), text
