import datetime as dt
from collections import Counter

import numpy as np
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.curation.copies import similarity, sketch
from bot.curation.curate import Curator
from bot.curation.meanings import pack
from bot.curation.stories import StoryIndex
from bot.curation.story_words import LEAD_CHARS, MEANT_WORDS, placing_words, story_words
from bot.curation.summarize import Sentences, sentences_of
from bot.language import stems
from storage.db import session
from storage.models import Article, Source

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
WIRE = (
    "Water ministers from Egypt, Sudan and Ethiopia agreed on Sunday to share the flow of the "
    "Nile during droughts, after talks that ran through the night in Washington. The deal "
    "still needs the approval of the three parliaments and sets a minimum release from the dam."
)


def place_all(index: StoryIndex, headlines: list[str]) -> list[int]:
    stories = []
    for article_id, headline in enumerate(headlines):
        words = story_words(headline, "")
        placement = index.place(words)
        story = placement.story if placement.story is not None else article_id
        index.add(story, article_id, words, NOW)
        stories.append(story)
    return stories


def test_the_same_event_told_differently_joins_one_story() -> None:
    stories = place_all(StoryIndex(), [
        "Nile dam deal: Egypt, Sudan and Ethiopia agree on drought rules",
        "Champions League: Real Madrid beat Bayern Munich in semi-final",
        "Ethiopia, Egypt and Sudan reach Nile dam agreement after overnight talks",
        "Bayern Munich lose to Real Madrid in Champions League semi-final",
        "مصر والسودان وإثيوبيا تتفق على قواعد ملء سد النهضة في أوقات الجفاف",
        "اتفاق بين مصر وإثيوبيا والسودان حول سد النهضة بعد مفاوضات طويلة",
    ])  # fmt: skip
    assert stories[0] == stories[2] != stories[1] == stories[3]
    assert stories[4] == stories[5] not in (stories[0], stories[1])


def test_stories_leave_the_window() -> None:
    index = StoryIndex(window=dt.timedelta(hours=72))
    words = story_words("Nile dam deal agreed by Egypt, Sudan and Ethiopia", "")
    index.add(7, 1, words, NOW - dt.timedelta(hours=80))
    assert index.place(words).story == 7
    index.expire(NOW)
    assert len(index) == 0
    assert index.place(words).story is None, "an old story is not a candidate any more"


def test_near_copies_are_found_and_different_texts_are_not() -> None:
    index = StoryIndex()
    index.add(1, 10, story_words("Nile deal", WIRE), NOW, sketch(WIRE))
    republished = "(AFP) " + WIRE.replace("Sunday", "Sunday evening") + " Reporting by staff."
    assert index.place(story_words("Nile deal", republished), sketch(republished)).copy_of == 10
    other = " ".join(reversed(WIRE.split()))
    assert index.place(story_words("Nile deal", other), sketch(other)).copy_of is None
    assert sketch("too short to judge") == ()
    assert similarity(sketch(WIRE), sketch(WIRE)) == 1.0


def test_a_long_article_with_many_new_words_still_finds_its_story() -> None:
    index = StoryIndex()
    first = story_words("OPEC+ agrees to cut oil output from January", WIRE)
    index.add(1, 1, first, NOW)
    dock = "Dock workers ended a nine-day strike after a pay rise."
    index.add(2, 2, story_words("Dock workers end strike at the largest port", dock), NOW)
    other_words = " ".join(f"unseenword{n}" for n in range(40))
    second = story_words("Oil output cut agreed by OPEC+ producers for January",
                         WIRE.replace("Sunday", "Monday") + " " + other_words)  # fmt: skip
    assert index.place(second).story == 1


def test_in_a_long_text_words_every_story_uses_count_less_than_rare_ones() -> None:
    index = StoryIndex()
    everyday = "government minister official statement week country people year".split()
    for n in range(30):  # thirty stories that all use the everyday words
        index.add(n, n, Counter([*everyday, f"topic{n}a", f"topic{n}b", f"topic{n}c"]), NOW)
    dam = "nile dam ethiopia sudan egypt drought".split()
    index.add(100, 100, Counter([*dam, "talks"]), NOW)
    index.add(100, 101, Counter([*dam, "deal"]), NOW)
    # 20 words: the everyday eight, four of the dam story's, eight new ones.
    article = Counter(
        [
            *everyday,
            *dam[:4],
            *"accord signed capital night parliament approval release flow".split(),
        ]
    )
    assert index.place(article).story == 100


def test_a_few_words_in_common_place_a_short_text_but_not_a_long_one() -> None:
    index = StoryIndex()
    for n in range(200):  # the day's other stories
        index.add(100 + n, 100 + n, Counter(f"w{n}x{k}" for k in range(30)), NOW)
    visit = Counter("putin vladimir kremlin modi delhi india visit oil defence deal".split())
    for n in range(3):
        index.add(1, n, visit, NOW)
    in_common = ["putin", "vladimir", "kremlin"]
    short = Counter([*in_common, *(f"new{k}" for k in range(5))])
    assert index.place(short).story == 1
    # The same three words in 43: the text is about something else that names Putin
    # (a long text's words are no independent evidence: see StoryIndex.place).
    long = Counter([*in_common, *(f"new{k}" for k in range(40))])
    assert index.place(long).story is None


def test_a_busy_window_places_an_article_as_a_quiet_one_does() -> None:
    index = StoryIndex()
    visit = Counter("putin vladimir kremlin modi delhi india visit oil defence deal".split())
    for n in range(3):
        index.add(1, n, visit, NOW)
    # 36 words, 6 of them the story's.
    article = Counter(["putin", "vladimir", "kremlin", "modi", "delhi", "india",
                       *(f"new{k}" for k in range(30))])  # fmt: skip
    placed = []
    for others in (1_000, 20_000):  # other stories in the window, of 10 words each
        while len(index) <= others:
            n = len(index)
            index.add(100 + n, 100 + n, Counter(f"w{n}x{k}" for k in range(10)), NOW)
        placed.append(index.place(article).story)
    assert placed == [1, 1]


def test_a_window_of_many_words_does_not_let_a_big_story_take_any_text() -> None:
    index = StoryIndex()
    subject = ["putin", "vladimir", "kremlin", "russia", "moscow", "president"]
    for n in range(100):  # a big story about Putin
        index.add(1, n, Counter([*subject, *(f"s{n}x{k}" for k in range(20))]), NOW)
    for n in range(1000):  # a busy window: 1,000 stories, 100,000 words
        index.add(100 + n, 100 + n, Counter(f"w{n}x{k}" for k in range(100)), NOW)
    # 33 words that name Putin: not a reason to join his story.
    article = Counter([*subject[:3], *(f"new{k}" for k in range(30))])
    assert index.place(article).story is None


# A lead whose event is named only past the first LEAD_CHARS characters.
LATE = "The ministers met again after a long night of talks in the capital. " * 10 + "Aswan"


def test_an_article_placed_by_meaning_is_read_further_than_by_words_alone() -> None:
    assert len(LATE) > LEAD_CHARS
    assert "aswan" in placing_words("Nile talks", None, LATE, meant=True)
    assert "aswan" not in placing_words("Nile talks", None, LATE, meant=False)


def nile_post(engine: Engine) -> int:
    """The source the curator tests' articles come from; its id."""
    with session(engine) as db:
        nile = Source(name="Nile Post", url="https://nile.example/feed.xml")
        db.add(nile)
        db.flush()
        assert nile.id is not None
        return nile.id


def test_the_curator_reads_further_into_an_article_it_has_a_meaning_for(
    engine: Engine, settings: Settings
) -> None:
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW, embedder_name="vectors")
    source = nile_post(engine)
    stories = []
    # Three events, each past its first lines at Aswan: one with a meaning, one without,
    # and one with a meaning and a feed's short lead, read on into its text.
    dock = "Dock workers at the port walked out over pay and the cranes stood still. " * 10
    dam = "Farmers gathered at the dam to demand more water for the coming season. " * 10
    for n, (title, lead, text, vector) in enumerate((
        ("Nile talks", None, LATE, np.eye(8, dtype=np.float32)[0]),
        ("Port strike", None, f"{dock}Aswan", None),
        ("Dam protest", "Farmers protest.", f"{dam}Aswan", np.eye(8, dtype=np.float32)[1]),
    )):  # fmt: skip
        with session(engine) as db:
            draft = Article(source_id=source, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=title, lead=lead, text=text,
                            fetched_at=NOW, language="en",
                            vector=None if vector is None else pack(vector),
                            vector_model="vectors")  # fmt: skip
            article, _ = curator.store(draft, now=NOW, session=db)
            stories.append(article.story_id)
    assert len(set(stories)) == 3
    aswan = story_words("Aswan", "")
    # As placed, and as the index is rebuilt from storage at a new start.
    again = Curator(engine, settings.topics_path, clock=lambda: NOW, embedder_name="vectors")
    for index in (curator.story_index(), again.story_index()):
        assert [index.fit(story, aswan) for story in stories] == [1.0, 0.0, 1.0]


# A long report whose place is named only in its last lines, far into the text.
FAR = "The ministers met again after a long night of talks in the capital. " * 50 + "Aswan"


def test_the_curator_reads_all_of_a_long_text_it_has_a_meaning_for(
    engine: Engine, settings: Settings
) -> None:
    assert len(FAR) > 3000
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW, embedder_name="vectors")
    source = nile_post(engine)
    with session(engine) as db:
        draft = Article(source_id=source, url="https://nile.example/far",
                        url_key="nile.example/far", title="Nile talks", text=FAR,
                        fetched_at=NOW, language="en", vector_model="vectors",
                        vector=pack(np.eye(8, dtype=np.float32)[0]))  # fmt: skip
        article, _ = curator.store(draft, now=NOW, session=db)
    aswan = story_words("Aswan", "")
    # As placed (from the summary's stems), and as rebuilt from storage at a new start.
    again = Curator(engine, settings.topics_path, clock=lambda: NOW, embedder_name="vectors")
    for index in (curator.story_index(), again.story_index()):
        assert index.fit(article.story_id, aswan) == 1.0


# Sentence edges of every kind: abbreviations, initials, decimals, quotations, line
# breaks, Arabic stops, a sentence with no words.
EDGES = (
    'Dr. Amal Saleh said the U.S. envoy paid 2.5 million. "We will wait," she said! '
    "Then?\n\nالوزير قال: «سنعود غداً».   وأضاف أن المحادثات مستمرة؟ ... ؛ "
    "J. K. Rowling's book sold 3,000 copies\n— the end"
)


def test_the_words_from_the_summarys_stems_are_those_of_the_text_stemmed_again() -> None:
    # The live curator reads the summary's stems; the rebuild from storage, and the
    # bench, the text's: the same words.
    expected = Counter(stems(f"Talks resume in Cairo Talks resumed. {EDGES}"))
    split = sentences_of(EDGES)
    assert len(split.texts) > 4
    live = placing_words("Talks resume in Cairo", "Talks resumed.", EDGES, meant=True,
                         split=split)  # fmt: skip
    rebuilt = placing_words("Talks resume in Cairo", "Talks resumed.", EDGES, meant=True)
    bench = placing_words("Talks resume in Cairo Talks resumed.", None, EDGES, meant=True,
                          split=split)  # fmt: skip
    assert live == rebuilt == bench == expected


def test_the_summarys_stems_are_read_not_the_text_again() -> None:
    split = Sentences(["Talks went on."], [["summarystem"]])
    assert placing_words("Talks", None, "Talks went on.", meant=True, split=split) == Counter(
        ["talk", "summarystem"]
    )


def test_a_long_read_is_placed_by_its_first_words_only() -> None:
    """The whole text is read, up to MEANT_WORDS: a story's words are held in memory
    for the window, and a long read has ten thousand."""
    text = "Engineers checked the turbines along the river. " * 300 + "Aswan"
    assert len(text.split()) > MEANT_WORDS
    split = sentences_of(text)
    live = placing_words("Dam inspection", None, text, meant=True, split=split)
    rebuilt = placing_words("Dam inspection", None, text, meant=True)
    assert live == rebuilt and "aswan" not in live and "turbin" in live


def test_after_stories_leave_the_window_words_weigh_as_in_a_window_without_them() -> None:
    old = [story_words(h, "") for h in (
        "Nile dam deal agreed by Egypt, Sudan and Ethiopia",
        "Egypt, Sudan and Ethiopia sign the Nile dam deal in Washington",
    )]  # fmt: skip
    recent = story_words("Egypt and Ethiopia hold talks on the Nile in Cairo", "")
    article = story_words("Ethiopia and Sudan talk again about the Nile dam", "")
    index, fresh = StoryIndex(window=dt.timedelta(hours=72)), StoryIndex()
    for article_id, words in enumerate(old):  # two articles sharing words: one story
        index.add(7, article_id, words, NOW - dt.timedelta(hours=80))
    index.add(8, 5, recent, NOW)
    fresh.add(8, 5, recent, NOW)
    index.expire(NOW)
    assert index._weights(article) == fresh._weights(article)
    assert index.place(article) == fresh.place(article)
    assert index.place(story_words("Washington sign", "")).story is None


def test_words_are_weighed_again_once_the_window_changes() -> None:
    # Placing keeps the weights of an article's words for adding it next: an article
    # added or a story expired leaves none stale.
    article = story_words("Ethiopia and Sudan sign a Nile dam deal in Washington", "")
    other = story_words("Nile dam talks: Ethiopia and Sudan meet in Cairo", "")
    index, fresh = StoryIndex(window=dt.timedelta(hours=72)), StoryIndex()
    alone = index._weights(article, keep=True)
    index.add(1, 1, other, NOW - dt.timedelta(hours=80))
    fresh.add(1, 1, other, NOW - dt.timedelta(hours=80))
    beside = index._weights(article, keep=True)
    assert beside == fresh._weights(article) and beside != alone
    index.expire(NOW)
    assert index._weights(article, keep=True) == StoryIndex()._weights(article) == alone
    # Placed and added, then a copy of it, with its words, comes right after it.
    index.add(2, 2, article, NOW)
    after = StoryIndex()
    after.add(2, 2, article, NOW)
    assert index._weights(article) == after._weights(article) != alone


def test_a_story_keeps_its_first_articles_words_without_changing_them() -> None:
    first = story_words("Nile dam deal agreed by Egypt, Sudan and Ethiopia", "")
    kept = Counter(first)
    index = StoryIndex()
    index.add(7, 1, first, NOW)
    index.add(7, 2, story_words("Egypt and Sudan sign the Nile dam deal", ""), NOW)
    assert first == kept, "the caller's words are the caller's"
    assert index.fit(7, story_words("Nile deal", "")) == 1.0
    assert index.fit(7, story_words("Sudan sign", "")) == 0.75
