"""Topics from rules, sections and learned profiles (no vectors here: see
test_topic_meaning.py for what the embedder adds)."""

from pathlib import Path

from bot.catalog import load_topic_rules
from bot.config import Settings
from bot.curation.topics import Assigned, Document, Matcher, TopicRule, keyword_matches
from bot.curation.topics.rules import Rules

RULES = [
    TopicRule("economy", ("central bank", "interest rates", "البنك المركزي"),
              sections=("business",)),
    TopicRule("sports", ("football", "كرة القدم", "match", "final"),
              excludes=("american football",), sections=("sport",)),
    TopicRule("energy", ("oil prices", "opec", "النفط", "أوبك"), sections=("energy",),
              within="economy", desk=False),
    TopicRule("ukraine-russia", ("ukraine", "أوكرانيا"), desk=False),
]  # fmt: skip


def slugs(found: list[Assigned]) -> list[str]:
    return [a.slug for a in found]


def bundled() -> Matcher:
    return Matcher(load_topic_rules(Settings(_env_file=None).topics_path))  # type: ignore[call-arg]


def test_rules_match_normalized_arabic_and_english_forms() -> None:
    matcher = Matcher(RULES)
    arabic = Document(title="ارتفاع أسعار النفط بعد قرار أوبك", lead="قالت المنظمة إن...")
    assert "energy" in slugs(matcher.match(arabic))
    stemmed = Document(title="الحرب الأوكرانية تدخل عامها الثالث")
    assert slugs(matcher.match(stemmed)) == ["ukraine-russia"], "الأوكرانية meets أوكرانيا"
    english = Document(title="Oil prices jump", lead="OPEC cut its output")
    assert "energy" in slugs(matcher.match(english))


def test_forms_of_one_keyword_count_as_one() -> None:
    forms = Rules([TopicRule("palestine", ("فلسطين", "الفلسطينية", "الفلسطيني"))])
    one = Rules([TopicRule("palestine", ("فلسطين",))])
    doc = Document(title="قمة في القاهرة", body="وبحث الوزراء الوضع في فلسطين.")
    assert forms.find(doc) == one.find(doc)


def test_a_headline_counts_more_than_a_lead_and_a_lead_more_than_the_body() -> None:
    rules = Rules(RULES)
    [headline] = rules.find(Document(title="Ukraine talks resume"))[0].values()
    [lead] = rules.find(Document(title="Talks resume", lead="Ukraine and its allies"))[0].values()
    [body] = rules.find(Document(title="Talks resume", lead="x", body="In Ukraine"))[0].values()
    assert headline.headline > lead.headline > 0 == body.headline < body.body


def test_an_article_without_a_lead_has_its_first_words_read_as_one() -> None:
    text = "Ukraine says talks resume. " + "More words follow here. " * 30
    found = Rules(RULES).find(Document(title="Talks resume", body=text))[0]
    assert found["ukraine-russia"].headline > 0 and found["ukraine-russia"].body == 0


def test_one_weak_word_of_another_desk_does_not_add_it() -> None:
    doc = Document(title="Central bank raises interest rates again",
                   body="The decision came on the day of the final.")  # fmt: skip
    assert slugs(Matcher(RULES).match(doc)) == ["economy"]


def test_exclusions_rule_a_topic_out() -> None:
    assert Matcher(RULES).match(Document(title="American football final tonight")) == []


def test_sections_from_feed_categories_and_url_paths() -> None:
    matcher = Matcher(RULES)
    for doc in (
        Document(title="Pipeline deal signed", url="https://news.test/energy/2026/1"),
        Document(title="Pipeline deal signed", categories=("Energy",)),
    ):
        [found] = matcher.match(doc)
        assert found == ("energy", found.score, "section") and found.score >= 0.5


def test_which_parts_of_a_url_name_a_section() -> None:
    def hints(url: str) -> frozenset[str]:
        return Document(title="t", url=url).hints

    assert {"business"} <= hints("https://www.bbc.co.uk/arabic/business-44688044")
    assert {"science", "tech"} <= hints("https://bbc.test/arabic/science-and-tech-43586589")
    assert "sport" in hints("https://x.test/ar/sport/international-sport/2018/03/24/a.html")
    assert "international" not in hints("https://x.test/ar/sport/international-sport/1.html")
    assert "middle-east" in hints("https://cnn.test/middle-east/2018/05/25/saudi-us-sanctions")
    slug = hints("https://x.test/2018/05/25/football-fans-gather-in-cairo-for-final")
    assert "football" not in slug, "a headline's slug is no section"
    assert "middle-east" in Document(title="t", categories=("Middle East",)).hints


def test_sections_as_arabic_and_english_sites_name_them() -> None:
    """Categories and paths as feeds write them: with the Arabic article, joined by
    "و" or "&", percent-encoded in the address; through the catalog's sections."""
    matcher = bundled()

    def filed(**where: object) -> list[str]:
        doc = Document(title="اتفاق جديد يوقع اليوم في العاصمة", **where)  # type: ignore[arg-type]
        return sorted(t.slug for t in matcher.match(doc) if t.evidence == "section")

    assert filed(categories=("الرياضة",)) == ["sports"]
    assert filed(categories=("ثقافة وفنون",)) == ["culture"]
    both = Document(title="t", categories=("Science & Technology",)).hints
    assert {"science", "technology"} <= both  # two desks filed: it is left to the words
    assert filed(url="https://arabic.test/%D8%A7%D9%84%D8%B1%D9%8A%D8%A7%D8%B6%D8%A9/2026/12/1/x") \
        == ["sports"]  # fmt: skip
    assert filed(categories=("Arab world",)) == ["middle-east"], "a category's side is whole"


def test_learned_profiles_place_an_article_without_keywords() -> None:
    matcher = Matcher(RULES)
    seeds = [Document(title=f"Central bank raises interest rates as inflation rises, lender "
                            f"margins at {n}") for n in range(20)]  # fmt: skip
    seeds += [Document(title=f"Football final: striker scores twice in match {n}, goalkeeper "
                             "beaten") for n in range(20)]  # fmt: skip
    plain = Document(title="Inflation and lender margins rise again")
    assert matcher.match(plain) == []
    assert matcher.learn(seeds) == 40
    [found] = matcher.match(plain)
    assert (found.slug, found.evidence) == ("economy", "profile")


def test_at_most_three_topics_and_a_second_one_needs_strong_evidence() -> None:
    rules = [TopicRule(f"t{n}", (f"word{n}",)) for n in range(5)]
    rules += [TopicRule(f"s{n}", (f"name{n}",), desk=False) for n in range(5)]
    matcher = Matcher(rules)
    weak = Document(title="Words", body="word0 word0 word0 word1 word2 word3 word4")
    assert slugs(matcher.match(weak)) == ["t0"], "one topic stands out, the rest do not"
    names = "name0 name1 name2 name3 name4"
    many = Document(title=names, lead=names, body=f"{names}. {names}.")
    found = matcher.match(many)
    assert len(found) == 3 and all(a.score >= matcher.calibration.strong for a in found[1:])


def test_a_running_story_needs_the_article_to_be_about_it() -> None:
    matcher = bundled()
    passing = Document(title="Oil prices climb as OPEC+ extends its output cuts",
                       lead="Brent crude rose 2 percent on Monday after the producers' group "
                            "agreed to keep supply tight.",
                       body="Traders also watched shipping in the Gulf, where Iran has "
                            "threatened to disrupt tanker traffic.")  # fmt: skip
    topics = slugs(matcher.match(passing))
    assert "energy" in topics and "iran" not in topics
    about = Document(
        title="Iran's parliament approves the new cabinet in Tehran",
        lead="Iranian lawmakers backed all of President Pezeshkian's ministers.",
    )
    assert "iran" in slugs(matcher.match(about))


def test_a_broader_desk_comes_with_the_one_an_article_is_filed_under() -> None:
    rules = [
        TopicRule("world", ("summit",)),
        TopicRule("middle-east", ("gaza", "beirut"), within="world"),
        TopicRule("economy", ("bank",)),
    ]
    matcher = Matcher(rules)
    found = matcher.match(Document(title="Gaza talks resume in Beirut", lead="Gaza and Beirut"))
    assert slugs(found) == ["middle-east", "world"] and found[1].score < found[0].score
    assert matcher.learn([Document(title="Gaza talks resume in Beirut", lead="Gaza")] * 5) == 5
    assert matcher.profiles.sizes["world"] == 0, "what the Middle East passed up teaches nothing"


def test_scores_are_probabilities_and_nothing_found_is_no_topic() -> None:
    matcher = bundled()
    for doc in (Document(title="Central bank raises interest rates to fight inflation"),
                Document(title="البنك المركزي يرفع سعر الفائدة لمواجهة التضخم")):  # fmt: skip
        [economy] = matcher.match(doc)
        assert economy.slug == "economy" and 0.5 <= economy.score < 1
    assert matcher.match(Document(title="Hello there", body="Nothing to see.")) == []


def test_free_keywords_match_with_the_same_normalization() -> None:
    doc = Document(title="إيلون ماسك يعلن خطة جديدة", lead="OpenAI's new model was shown.")
    assert keyword_matches("ايلون ماسك", doc)
    assert keyword_matches("openai", doc)
    assert not keyword_matches("ماسك إيلون", doc)


def test_the_bundled_catalog_has_rules_and_descriptions_for_every_topic(tmp_path: Path) -> None:
    rules = load_topic_rules(Settings(_env_file=None).topics_path)  # type: ignore[call-arg]
    assert len(rules) >= 20
    assert all(any(not k.isascii() for k in r.keywords) for r in rules), "Arabic keywords"
    assert all(any(k.isascii() for k in r.keywords) for r in rules), "English keywords"
    assert all(sum(not d.isascii() for d in r.describe) >= 4 for r in rules), "Arabic words"
    assert all(sum(d.isascii() for d in r.describe) >= 4 for r in rules), "English words"
    by_slug = {r.slug: r for r in rules}
    running = ("iran", "ukraine-russia", "palestine-israel", "syria", "gulf", "egypt", "energy")
    assert all(not by_slug[s].desk and by_slug[s].within in by_slug for s in running)


def test_an_article_strongly_about_a_subject_is_filed_under_its_narrower_desk_first() -> None:
    rules = [
        TopicRule("world", ("united nations", "security council", "envoy")),
        TopicRule("middle-east", ("arab league",), within="world"),
        TopicRule("syria", ("syria", "damascus", "aleppo"), within="middle-east", desk=False),
    ]
    doc = Document(
        title="Security Council envoy: United Nations to send aid to Aleppo in Syria",
        lead="The United Nations envoy said aid would reach Aleppo and Damascus this week.",
    )
    weighed = Matcher(rules).weigh(doc)
    assert weighed.scores["world"] > weighed.scores["middle-east"], "world has more words"
    found = Matcher(rules).match(doc)
    assert slugs(found)[:1] == ["middle-east"], "Syria's news is the Middle East's first"
    assert set(slugs(found)) == {"middle-east", "world", "syria"}
    assert found[0].score >= 0.5, "with the score Syria passes up to it"
    passing = Document(title="Security Council envoy: United Nations debates its budget",
                       body="Syria was named once.")  # fmt: skip
    assert slugs(Matcher(rules).match(passing))[:1] == ["world"]
    filed = Document(title=doc.title, lead=doc.lead, url="https://news.example/world/2026/1")
    with_section = [TopicRule("world", ("united nations",), sections=("world",)), *rules[1:]]
    assert slugs(Matcher(with_section).match(filed))[:1] == ["world"], "the source's own desk"


def test_a_subject_named_in_the_headline_and_lead_of_another_story_is_not_added() -> None:
    rules = [
        TopicRule("economy", ("oil prices", "markets", "traders")),
        TopicRule("energy", ("oil prices", "crude", "brent"), within="economy", desk=False),
        TopicRule("world", ("talks", "ministers")),
        TopicRule("iran", ("iran", "tehran"), within="world", desk=False),
    ]
    doc = Document(title="Brent crude: oil prices climb as traders weigh Iran talks",
                   lead="Crude rose as markets watched Iran.",
                   body="Brent and crude futures gained.")  # fmt: skip
    matcher = Matcher(rules)
    assert 0.75 < matcher.weigh(doc).scores["iran"] < 0.9, "named twice: a fair score alone"
    assert slugs(matcher.match(doc)) == ["economy", "energy"], "but not a second topic"
    about = Document(title="Iran and Tehran: ministers hold talks in Iran",
                     lead="Iran said the talks in Tehran went well.")  # fmt: skip
    assert "iran" in slugs(matcher.match(about))


def test_the_gulf_is_known_by_its_rulers_and_state_companies_too() -> None:
    matcher = bundled()
    for doc in (
        Document(title="Tamim bin Hamad Al Thani opens the new Shura Council term",
                 lead="The emir of Qatar told the Shura Council that reforms would go on."),
        Document(title="آل الصباح يختارون وليا جديدا للعهد",
                 lead="أعلن أمير الكويت تزكية ولي العهد أمام مجلس الأمة الكويتي."),
        Document(title="Aramco and ADNOC sign supply deals with Asian buyers",
                 lead="Aramco said the contracts run for ten years."),
    ):  # fmt: skip
        assert "gulf" in slugs(matcher.match(doc)), doc.title


def test_inventions_are_technology_and_celebrities_culture_in_arabic_too() -> None:
    matcher = bundled()
    invention = Document(title="مهندسة شابة تحصل على براءة اختراع لبطارية جديدة",
                         lead="الابتكار يطيل عمر البطارية ويقلل وزن الشاشة")  # fmt: skip
    assert slugs(matcher.match(invention))[:1] == ["technology"]
    auction = Document(title="مقتنيات المشاهير في مزاد بهوليوود",
                       lead="الممثلين يعرضون ملابسهم في المزاد")  # fmt: skip
    assert slugs(matcher.match(auction))[:1] == ["culture"]


def test_a_part_of_the_first_desk_its_headline_names_more_comes_with_it() -> None:
    matcher = Matcher(RULES)
    about = Document(title="OPEC cut lifts oil prices",
                     lead="The central bank watches interest rates")  # fmt: skip
    assert slugs(matcher.match(about)) == ["economy", "energy"]
    mention = Document(title="OPEC meets as the central bank weighs interest rates",
                       lead="Oil prices steady")  # fmt: skip
    assert slugs(matcher.match(mention)) == ["economy"], "the desk's words lead: energy is named"


def test_a_keyword_is_no_common_word_of_another_meaning_once_stemmed() -> None:
    # Stems fold words apart in meaning: الدوري (the league) and دور (a role),
    # العملة (currency) and العمل (work), البحرين and البحر (the sea), حماة and حماية
    # (protection), السيسي and سيسيه (Cissé); and a word is a name too (Steve Jobs,
    # Euro 2004, the World Cup). The catalog names such topics by phrases instead.
    rules = Rules(load_topic_rules(Settings(_env_file=None).topics_path),  # type: ignore[call-arg]
                  places=False)  # fmt: skip
    for text, wrong in (
        ("الوزير يؤكد دور الحكومة في حماية المدنيين على الأرض", {"sports", "syria", "science"}),
        ("رجال الدين يدعون إلى العمل من أجل المصالحة", {"economy"}),
        ("سفينة تغرق في البحر الأحمر بعد أن أطلق العدو صاروخا", {"gulf", "health"}),
        ("ذهب الناخبون إلى الجولة الثانية", {"economy", "sports"}),
        ("الحرب الأهلية في خطاب نصر الله", {"football"}),
        ("أثر الحادث على ضحايا البحر الميت", {"culture", "technology", "gulf"}),
        ("المدرب أليو سيسيه يعلن تشكيلة السنغال", {"egypt"}),
        ("Steve Jobs shows a new iPod", {"economy"}),
        ("England reach the Euro 2004 semi-finals", {"economy"}),
        ("Brazil win the World Cup", {"world"}),
    ):
        found = set(rules.find(Document(title=text))[0])
        assert not found & wrong, (text, found & wrong)
    for text, topic in (
        ("ليفربول يتصدر الدوري الإنجليزي", "sports"),
        ("ملك البحرين يستقبل وزيرا في المنامة", "gulf"),
        ("ارتفاع أسعار الذهب والعملات الأجنبية", "economy"),
        ("ريف حماة يشهد اشتباكات", "syria"),
        ("الرئيس السيسي يفتتح مشروعا جديدا", "egypt"),
        ("Eurozone jobless rate rises", "economy"),
    ):
        assert topic in rules.find(Document(title=text))[0], text


def test_words_of_two_meanings_file_no_article_under_the_wrong_desk() -> None:
    """A battery of missiles, stars in the night sky, a bond auction: the word for
    a phone's battery, a film star or a celebrities' auction is no evidence there."""
    matcher = bundled()
    for title, lead in [
        ("نشر بطاريات صواريخ باتريوت على الحدود الشمالية",
         "الجيش يعزز الدفاع الجوي بالبطارية الثانية قرب القاعدة"),
        ("البنك المركزي يطرح سندات بقيمة مليار دولار في مزاد",
         "المزاد يجذب طلبا قويا من المصارف المحلية"),
        ("سياح يرصدون النجوم في سماء الصحراء",
         "ليلة صافية فوق الكثبان تتلألأ فيها النجوم"),
    ]:  # fmt: skip
        found = slugs(matcher.match(Document(title=title, lead=lead)))
        assert not {"technology", "culture"} & set(found), (title, found)
