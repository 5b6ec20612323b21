from pathlib import Path

from bot.catalog import load_topic_rules
from bot.curation.topics import Document, Matcher, TopicRule, keyword_matches

RULES = [
    TopicRule("energy", ("oil prices", "opec", "النفط", "أوبك"), sections=("energy",)),
    TopicRule("sports", ("football", "كرة القدم", "match"), excludes=("american football",)),
    TopicRule("ukraine-russia", ("ukraine", "أوكرانيا")),
]


def slugs(ranked: list[tuple[str, float]]) -> list[str]:
    return [slug for slug, _ in ranked]


def test_rules_match_normalized_arabic_and_english_forms() -> None:
    matcher = Matcher(RULES)
    arabic = Document(title="ارتفاع أسعار النفط بعد قرار أوبك", lead="قالت المنظمة إن...")
    assert slugs(matcher.match(arabic)) == ["energy"]
    stemmed = Document(title="الحرب الأوكرانية تدخل عامها الثالث")
    assert slugs(matcher.match(stemmed)) == ["ukraine-russia"], "الأوكرانية meets أوكرانيا"
    english = Document(title="Oil prices jump", lead="OPEC cut its output")
    assert slugs(matcher.match(english)) == ["energy"]


def test_forms_of_one_keyword_count_as_one() -> None:
    forms = Matcher([TopicRule("palestine", ("فلسطين", "الفلسطينية", "الفلسطيني"))])
    one = Matcher([TopicRule("palestine", ("فلسطين",))])
    doc = Document(title="قمة في القاهرة", body="وبحث الوزراء الوضع في فلسطين.")
    assert forms.rule_scores(doc) == one.rule_scores(doc)


def test_title_counts_more_than_body_and_scores_are_comparable() -> None:
    matcher = Matcher(RULES)
    doc = Document(title="Ukraine talks resume", body="The match was postponed. " * 2)
    [(first, top), (second, low)] = matcher.match(doc)
    assert (first, second) == ("ukraine-russia", "sports")
    assert 0 < low < top < 1


def test_exclusions_and_sections() -> None:
    matcher = Matcher(RULES)
    assert matcher.match(Document(title="American football final tonight")) == []
    by_url = Document(title="Pipeline deal signed", url="https://news.test/energy/2026/1")
    assert slugs(matcher.match(by_url)) == ["energy"]
    by_category = Document(title="Pipeline deal signed", categories=("Energy",))
    assert slugs(matcher.match(by_category)) == ["energy"]


def test_learned_profiles_place_an_article_without_keywords() -> None:
    matcher = Matcher(RULES)
    seeds = [Document(title=f"Oil prices rise as OPEC meets, barrel at {n} dollars refinery")
             for n in range(20)]  # fmt: skip
    seeds += [Document(title=f"Football: striker scores twice in match {n}, goalkeeper beaten")
              for n in range(20)]  # fmt: skip
    plain = Document(title="Barrel costs climb again and the refinery cuts output")
    assert matcher.match(plain) == []
    assert matcher.learn(seeds) == 40
    assert slugs(matcher.match(plain))[0] == "energy"


def test_free_keywords_match_with_the_same_normalization() -> None:
    doc = Document(title="إيلون ماسك يعلن خطة جديدة", lead="OpenAI's new model was shown.")
    assert keyword_matches("ايلون ماسك", doc)
    assert keyword_matches("openai", doc)
    assert not keyword_matches("ماسك إيلون", doc)


def test_the_bundled_catalog_has_rules_for_every_topic(tmp_path: Path) -> None:
    from bot.config import Settings

    rules = load_topic_rules(Settings(_env_file=None).topics_path)  # type: ignore[call-arg]
    assert len(rules) >= 20
    assert all(any(not k.isascii() for k in r.keywords) for r in rules), "Arabic keywords"
    assert all(any(k.isascii() for k in r.keywords) for r in rules), "English keywords"
