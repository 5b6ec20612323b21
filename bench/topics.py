"""Topics through the pipeline's own code, beside a keyword baseline and a supervised
TF-IDF centroid, in one run.

Each set is fed in file order, an article at a time, through Curator.store on a
temporary database, as `newsbot curate` does: no priming, the profiles learn
only from what was stored so far. Vectors come from the bundled embedder (the
headline and the lead, or the text's beginning), computed in batches before;
each set runs again with the embedder off. The sets (bench/topic_data.py):
AG News, the Arabic sections (ANT, without and with the articles' URLs, whose
paths name sections), the running-story fixture. Printed for the tune and check
parts: macro-F1, each label's precision/recall, the precision of the first topic
(its class through the catalog's `within`: syria is a middle-east topic, health a
science one), topics an article, the confusions; and the cost per article.
Usage: .venv/bin/python bench/topics.py [--only SET[,SET]...]   (peers: pip install -r
bench/requirements.txt). SET is one of ag, arabic, urls, running, examples, cost;
--only may be given again; without it every set runs (10 to 14 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestCentroid
from topic_data import (
    AG_TOPICS,
    ARABIC_TOPICS,
    Item,
    Running,
    Sections,
    ag_news,
    arabic_sections,
    running_stories,
    section_head,
    section_row,
)

from bot import catalog
from bot.config import Settings
from bot.curation.curate import LEARN_FROM, RELEARN_EVERY, Curator
from bot.curation.embed import Bundled, Vectors, embed_text, pack
from bot.curation.summarize import Sentences, sentences_of
from bot.curation.topics import Assigned, Document, Matcher, Prototypes, TopicRule, descriptions
from bot.curation.topics.rules import Rules
from bot.language import stems
from storage import db
from storage import topics as topic_store
from storage.models import Article, Source

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
EXAMPLES = [
    Item(
        "quake",
        "Magnitude 6.8 earthquake strikes southern Turkey, killing dozens",
        "A magnitude 6.8 earthquake struck southern Turkey early on Monday, killing dozens of "
        "people and bringing down buildings in several cities, officials said.",
        "",
        (),
    ),
    Item(
        "syria",
        "اشتباكات عنيفة في ريف حلب بين فصائل المعارضة والجيش السوري",
        "اندلعت اشتباكات عنيفة في ريف حلب الشمالي بين فصائل المعارضة المسلحة وقوات الجيش "
        "السوري، ما أسفر عن سقوط قتلى وجرحى من الطرفين.",
        "",
        (),
    ),
]


def embed(model: Bundled, items: list[Item]) -> tuple[Vectors, float]:
    """Each item's vector, as the pipeline embeds it; and ms an item."""
    texts = [embed_text(i.title, i.lead or i.text[:600]) for i in items]  # as pipeline.py
    started = time.perf_counter()
    vectors = model.encode(texts)
    assert vectors is not None, "the bundled model is needed: ./dev installs it"
    return vectors, (time.perf_counter() - started) * 1000 / len(items)


def curate(
    items: list[Item], vectors: Vectors | None, model: Bundled, settings: Settings
) -> tuple[list[list[Assigned]], float]:
    """Every item stored in order through the Curator; its topics, and ms an item."""
    with tempfile.TemporaryDirectory(prefix="newsbot-topics-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'topics.db'}")
        db.upgrade(engine)
        with db.session(engine) as session:
            topic_store.sync_catalog(catalog.load_topics(settings.topics_path), session=session)
        curator = Curator(
            engine,
            settings.topics_path,
            clock=lambda: NOW,
            relearn_after=dt.timedelta(0),
            embedder_name=model.name if vectors is not None else "off",
        )
        asyncio.run(curator.embed_topics(model))
        sources: dict[str, int] = {}
        found: list[list[Assigned]] = []
        started = time.perf_counter()
        for n, item in enumerate(items):
            with db.session(engine) as session:
                if item.source not in sources:
                    source = Source(name=item.source, url=f"urn:bench:{item.source}")
                    session.add(source)
                    session.flush()
                    assert source.id is not None
                    sources[item.source] = source.id
                url = item.url or f"https://{item.source.lower()}.bench.invalid/{n}"
                draft = Article(
                    source_id=sources[item.source],
                    url=url,
                    url_key=f"{url}#{n}",
                    title=item.title,
                    lead=item.lead or None,
                    text=item.text,
                    fetched_at=NOW,
                )
                if vectors is not None:
                    draft.vector, draft.vector_model = pack(vectors[n]), model.name
                article, topics = curator.store(draft, now=NOW, session=session)
                if topics is None:  # the same text again from the same source
                    assert article.id is not None
                    topics = [
                        Assigned(s, v, "stored")
                        for s, v in topic_store.of_article(article.id, session=session)
                    ]
                found.append(topics)
        seconds = time.perf_counter() - started
        engine.dispose()
    return found, seconds * 1000 / len(items)


def broader_of(rules: list[TopicRule]) -> dict[str, list[str]]:
    """Each topic, and the topics it is within, narrowest first."""
    within = {r.slug: r.within for r in rules}
    chains = {}
    for slug in within:
        chain, parent = [slug], within[slug]
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = within.get(parent)
        chains[slug] = chain
    return chains


def score_sections(
    items: list[Item],
    ranked: list[list[str]],
    mapping: dict[str, tuple[str, ...]],
    chains: dict[str, list[str]],
    part: str,
) -> Sections:
    class_of = {topic: label for label, topics in mapping.items() for topic in topics}
    figures = Sections(list(mapping))
    for item, topics in zip(items, ranked, strict=True):
        if item.split != part:
            continue
        predicted = next((class_of[t] for t in topics if t in class_of), None)
        first = topics[0] if topics else None
        first_class = None
        if first is not None:
            first_class = next(
                (class_of[t] for t in chains.get(first, [first]) if t in class_of), None
            )
        figures.add(item.gold[0], predicted, first, len(topics), first_class)
    return figures


def keyword_ranked(items: list[Item], rules: list[TopicRule]) -> list[list[str]]:
    """The catalog's keywords alone: topics by weighted hits, every one with a hit."""
    found = Rules(rules)
    out = []
    for item in items:
        doc = Document(title=item.title, lead=item.lead, body=item.text)
        hits = found.find(doc)[0]
        weights = {s: h.headline + h.body for s, h in hits.items() if h.headline + h.body}
        out.append(sorted(weights, key=lambda s: (-weights[s], s)))  # ties: by name
    return out


def centroid_ranked(
    items: list[Item], mapping: dict[str, tuple[str, ...]], *, by: str
) -> list[list[str]]:
    """A TF-IDF nearest centroid trained on the labels (a ceiling): each part
    predicted by the one trained on the other part (by="split"), or each outlet by
    the one trained on the others (by="source")."""
    texts = [" ".join(stems(f"{i.title} {i.text}")) for i in items]
    groups = [getattr(i, by) for i in items]
    predicted = [""] * len(items)
    for group in sorted(set(groups)):
        train = [n for n, g in enumerate(groups) if g != group]
        test = [n for n, g in enumerate(groups) if g == group]
        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2)
        model = NearestCentroid().fit(
            vectorizer.fit_transform([texts[n] for n in train]), [items[n].gold[0] for n in train]
        )
        for n, label in zip(
            test, model.predict(vectorizer.transform([texts[n] for n in test])), strict=True
        ):
            predicted[n] = str(label)
    return [[mapping[label][0]] for label in predicted]


def print_sections(
    title: str,
    items: list[Item],
    runs: dict[str, list[list[str]]],
    mapping: dict[str, tuple[str, ...]],
    chains: dict[str, list[str]],
) -> None:
    print(f"\n### {title}")
    for part in ("tune", "check"):
        print(f"\n{part} ({sum(i.split == part for i in items)} items)\n")
        print(section_head(list(mapping)))
        scored = {
            name: score_sections(items, ranked, mapping, chains, part)
            for name, ranked in runs.items()
        }
        for name, figures in scored.items():
            print(section_row(name, figures))
        best = scored[next(iter(scored))]
        print(
            f"\nconfusions, {next(iter(scored))}, {part} (class: the first topic listed that "
            "stands for a label)\n"
        )
        print(best.confusions())
        kinds = ", ".join(f"{k} {v}" for k, v in best.first_kinds.most_common(8))
        print(f"\nfirst topics that stand for no label: {kinds or 'none'}")


CURVE = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)


def print_curve(
    items: list[Item],
    ranked: list[list[str]],
    firsts: list[float],
    mapping: dict[str, tuple[str, ...]],
    chains: dict[str, list[str]],
) -> None:
    """What abstaining costs: newsbot's topics kept only where the first one's
    calibrated score reaches each level (no topic otherwise)."""
    print("\noperating curve, newsbot: topics only where the first topic's score reaches\n")
    print(
        "| first score >= | tune macro-F1 | tune first topic precision | tune with a topic | "
        "check macro-F1 | check first topic precision | check with a topic |\n|---|---|---|---|"
        "---|---|---|"
    )
    for level in CURVE:
        kept = [t if score >= level else [] for t, score in zip(ranked, firsts, strict=True)]
        cells = []
        for part in ("tune", "check"):
            figures = score_sections(items, kept, mapping, chains, part)
            first = figures.first_right / figures.with_topic if figures.with_topic else 0.0
            share = figures.with_topic / len(figures.gold)
            cells.append(f"{figures.macro_f1():.3f} | {first:.3f} | {share:.2f}")
        print(f"| {level:.2f} | {' | '.join(cells)} |")


SETS = ("ag", "arabic", "urls", "running", "examples", "cost")


def chosen(argv: list[str] | None = None) -> set[str]:
    """The sets named by --only (repeated, or a comma list); every set without it."""
    parser = argparse.ArgumentParser(description="Topics through the pipeline's own code.")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="SET[,SET]",
        help=f"run only these sets: {', '.join(SETS)} (repeatable, or a comma list)",
    )
    names = {n.strip() for given in parser.parse_args(argv).only for n in given.split(",")}
    names.discard("")
    unknown = names - set(SETS)
    if unknown:
        parser.error(f"unknown set(s) {', '.join(sorted(unknown))}; choose from {', '.join(SETS)}")
    return names or set(SETS)


def main(argv: list[str] | None = None) -> int:
    only = chosen(argv)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    rules = catalog.load_topic_rules(settings.topics_path)
    chains = broader_of(rules)
    model = Bundled()
    costs: list[tuple[str, str, float, float | None]] = []
    sets = [
        ("ag", "AG News, 7,600 English items (tune: even lines, check: odd)", ag_news, AG_TOPICS),
        (
            "arabic",
            "Arabic sections, ANT, 1,800 items, text only",
            lambda: arabic_sections(urls=False),
            ARABIC_TOPICS,
        ),
        (
            "urls",
            "Arabic sections, ANT, 1,800 items, with their URLs",
            lambda: arabic_sections(urls=True),
            ARABIC_TOPICS,
        ),
    ]
    for key, title, load, mapping in sets:
        measured = key in only
        timed = "cost" in only and key in ("ag", "arabic")
        if not measured and not timed:
            continue
        items = load()
        vectors, embed_ms = embed(model, items)
        if measured:
            runs: dict[str, list[list[str]]] = {}
            firsts: list[float] = []
            for name, given in (("newsbot", vectors), ("newsbot, embedder off", None)):
                found, store_ms = curate(items, given, model, settings)
                runs[name] = [[t.slug for t in topics] for topics in found]
                if given is not None:
                    firsts = [topics[0].score if topics else 0.0 for topics in found]
                costs.append((title, name, store_ms, embed_ms if given is not None else None))
            runs["catalog keywords alone"] = keyword_ranked(items, rules)
            runs["TF-IDF centroid, trained on the other part's labels"] = centroid_ranked(
                items, mapping, by="split"
            )
            if items[0].source != "AG":
                runs["TF-IDF centroid, trained on the other outlets' labels"] = centroid_ranked(
                    items, mapping, by="source"
                )
            print_sections(title, items, runs, mapping, chains)
            print_curve(items, runs["newsbot"], firsts, mapping, chains)
        if timed:
            match_ms, stemmed_ms, learn_ms = matcher_cost(items, vectors, rules, settings, model)
            costs.append((title, "topic matching alone (Matcher.match)", match_ms, None))
            costs.append((title, "Matcher.match, the body stemmed by the summary (as curated)",
                          stemmed_ms, None))  # fmt: skip
            costs.append(
                (
                    title,
                    f"learning from {LEARN_FROM} stored, a share of each of "
                    f"{RELEARN_EVERY} articles",
                    learn_ms,
                    None,
                )
            )
    if "running" in only:
        print_running(model, settings, costs)
    if "examples" in only:
        print_examples(model, settings)
    if "cost" in only:
        print("\n### cost per article (ms; this machine, shared)\n")
        print("| set | what | ms an article | the embedder's ms an article |\n|---|---|---|---|")
        for title, name, ms, embed_ms in costs:
            print(
                f"| {title.split(',')[0]} | {name} | {ms:.2f} | "
                f"{'' if embed_ms is None else f'{embed_ms:.2f}'} |"
            )
    return 0


def matcher_cost(
    items: list[Item], vectors: Vectors, rules: list[TopicRule], settings: Settings, model: Bundled
) -> tuple[float, float, float]:
    """ms an article of Matcher.match: documents read afresh, then with the body's
    stems from its summary's sentences, made beforehand as the curator has them (the
    summary stems the text whatever topics do); and of learning from LEARN_FROM stored
    articles, spread over the RELEARN_EVERY that bring it about."""
    described = model.encode(descriptions(rules))
    assert described is not None
    prototypes = Prototypes.build(model.name, rules, described)

    def documents(split: list[Sentences] | None = None) -> list[Document]:
        return [
            Document(
                title=i.title,
                lead=i.lead,
                body=i.text,
                url=i.url,
                vector=np.asarray(vectors[n], dtype=np.float32),
                body_stems=None if split is None else split[n].stems_of_words,
            )
            for n, i in enumerate(items)
        ]

    matcher = Matcher(rules, prototypes)
    started = time.perf_counter()
    matcher.learn(documents()[:LEARN_FROM])
    learn_ms = (time.perf_counter() - started) * 1000 / RELEARN_EVERY
    # Made first, so that both timings meet the stemmer's cache as warm as the curator
    # does, having stemmed the text for its summary a moment before.
    sentences = [sentences_of(i.text) for i in items]
    timed = []
    for split in (None, sentences):
        fresh = documents(split)
        started = time.perf_counter()
        for doc in fresh:
            matcher.match(doc)
        timed.append((time.perf_counter() - started) * 1000 / len(fresh))
    return timed[0], timed[1], learn_ms


def print_running(
    model: Bundled, settings: Settings, costs: list[tuple[str, str, float, float | None]]
) -> None:
    items = running_stories()
    vectors, embed_ms = embed(model, items)
    runs = {}
    for name, given in (("newsbot", vectors), ("newsbot, embedder off", None)):
        found, store_ms = curate(items, given, model, settings)
        runs[name] = [{t.slug for t in topics} for topics in found]
        costs.append(("Running stories", name, store_ms, embed_ms if given is not None else None))
    rules = catalog.load_topic_rules(settings.topics_path)
    runs["catalog keywords alone (any hit)"] = [set(r) for r in keyword_ranked(items, rules)]
    print(
        f"\n### Running stories, bench/data/topics_running.jsonl ({len(items)} items: "
        "on-topic and near-misses)"
    )
    for part in ("tune", "check"):
        print(f"\n{part} ({sum(i.split == part for i in items)} items)\n")
        print(Running.head())
        for name, got in runs.items():
            figures = Running()
            for item, topics in zip(items, got, strict=True):
                if item.split == part:
                    figures.add(item, topics)
            print(figures.row(name))


def print_examples(model: Bundled, settings: Settings) -> None:
    print("\n### the issue's two articles, each the first a fresh install curates\n")
    for item in EXAMPLES:
        vectors, _ = embed(model, [item])
        for name, given in (("newsbot", vectors), ("embedder off", None)):
            found, _ = curate([item], given, model, settings)
            shown = ", ".join(f"{t.slug} {t.score:.2f} ({t.evidence})" for t in found[0])
            print(f"- {item.title} ({name}): {shown or 'no topic'}")


if __name__ == "__main__":
    sys.exit(main())
