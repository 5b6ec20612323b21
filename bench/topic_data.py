"""bench/topics.py's sets, how their labels map to topics, and the figures it prints.

Each set is split before anything is looked at: AG News and the Arabic sections
alternate in file order (even = tune, odd = check); the running-story fixture
has its own `split`. Tune on tune, read check.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURATION = ROOT.parent / "shared" / "bench" / "curation"
AG_NEWS = CURATION / "topic_en_agnews" / "test.csv"
ARABIC = CURATION / "topic_ar_ant_dev"
RUNNING = ROOT / "bench" / "data" / "topics_running.jsonl"

# A label -> the topics that stand for it (the first one listed that an article got
# is its class). AG's World is filed under two desks here: world and middle-east.
AG_TOPICS = {
    "World": ("world", "middle-east"),
    "Sports": ("sports",),
    "Business": ("economy",),
    "Sci/Tech": ("technology", "science"),
}
ARABIC_TOPICS = {
    "culture": ("culture",),
    "economy": ("economy",),
    "internationalNews": ("world",),
    "middleEast": ("middle-east",),
    "sport": ("sports",),
    "technology": ("technology", "science"),
}
RUNNING_TOPICS = ("iran", "ukraine-russia", "palestine-israel", "syria", "gulf", "egypt", "energy")


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    split: str
    gold: tuple[str, ...]  # the label (a set's one) or the topics (the running fixture)
    lead: str = ""
    url: str = ""
    source: str = "bench"
    kind: str = ""  # running fixture: on | near
    mentions: str = ""


def ag_news() -> list[Item]:
    rows = list(csv.reader(AG_NEWS.open(encoding="utf-8")))
    labels = {"1": "World", "2": "Sports", "3": "Business", "4": "Sci/Tech"}
    return [
        Item(
            f"ag{n}",
            title,
            text.replace("\\", " "),
            "tune" if n % 2 == 0 else "check",
            (labels[label],),
            source="AG",
        )
        for n, (label, title, text) in enumerate(rows)
    ]


def _tag(document: str, name: str) -> str:
    found = re.search(f"<{name}>(.*?)</{name}>", document, re.S)
    return found.group(1).strip() if found else ""


def arabic_sections(*, urls: bool) -> list[Item]:
    lines = (ARABIC / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    items = []
    for n, line in enumerate(lines):
        name, source, label, _ = line.split("\t")
        document = (ARABIC / "docs" / name).read_text(encoding="utf-8")
        items.append(
            Item(
                name,
                _tag(document, "TITLE"),
                _tag(document, "TEXT"),
                "tune" if n % 2 == 0 else "check",
                (label,),
                url=_tag(document, "URL") if urls else "",
                source=source,
            )
        )
    return items


def running_stories() -> list[Item]:
    items = []
    for line in RUNNING.open(encoding="utf-8"):
        row = json.loads(line)
        items.append(
            Item(
                row["id"],
                row["title"],
                row["text"],
                row["split"],
                tuple(row["topics"]),
                lead=row["lead"],
                source=row["lang"],
                kind=row["kind"],
                mentions=row["mentions"],
            )
        )
    return items


@dataclass
class Sections:
    """Figures of one matcher on a labelled set's part."""

    labels: list[str]
    predicted: list[str | None] = field(default_factory=list)
    gold: list[str] = field(default_factory=list)
    first_right: int = 0
    with_topic: int = 0
    topics: int = 0
    first_kinds: Counter[str] = field(default_factory=Counter)  # first topics not of a label

    def add(
        self,
        gold: str,
        predicted: str | None,
        first: str | None,
        n_topics: int,
        first_class: str | None,
    ) -> None:
        self.gold.append(gold)
        self.predicted.append(predicted)
        self.topics += n_topics
        if first is not None:
            self.with_topic += 1
            self.first_right += first_class == gold
            if first_class is None:
                self.first_kinds[first] += 1

    def per_label(self) -> dict[str, tuple[float, float, float]]:
        """label -> (precision, recall, F1)."""
        out = {}
        for label in self.labels:
            pairs = list(zip(self.predicted, self.gold, strict=True))
            tp = sum(p == label == g for p, g in pairs)
            fp = sum(p == label != g for p, g in pairs)
            fn = sum(g == label != p for p, g in pairs)
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            out[label] = (precision, recall, f1)
        return out

    def macro_f1(self) -> float:
        return sum(f for _, _, f in self.per_label().values()) / len(self.labels)

    def confusions(self) -> str:
        counts = Counter(zip(self.gold, self.predicted, strict=True))
        columns: list[str | None] = [*self.labels, None]
        head = "| gold \\ class | " + " | ".join(c or "no topic" for c in columns) + " |"
        rows = [head, "|" + "---|" * (len(columns) + 1)]
        for label in self.labels:
            cells = " | ".join(str(counts[(label, c)]) for c in columns)
            rows.append(f"| {label} | {cells} |")
        return "\n".join(rows)


def section_row(name: str, figures: Sections) -> str:
    per = figures.per_label()
    cells = " | ".join(f"{p:.2f}/{r:.2f}" for p, r, _ in per.values())
    first = figures.first_right / figures.with_topic if figures.with_topic else None
    n = len(figures.gold)
    return (
        f"| {name} | {figures.macro_f1():.3f} | {cells} | "
        f"{'' if first is None else f'{first:.3f}'} | "
        f"{figures.topics / n:.2f} | {figures.with_topic / n:.2f} |"
    )


def section_head(labels: list[str]) -> str:
    names = " | ".join(f"{label} P/R" for label in labels)
    return (
        f"| matcher | macro-F1 | {names} | first topic precision | topics an article | "
        f"with a topic |\n|" + "---|" * (len(labels) + 5)
    )


@dataclass
class Running:
    """Per running-story topic: true and false positives, misses, near-misses let in."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {t: Counter() for t in RUNNING_TOPICS}
    )
    topics: int = 0
    items: int = 0

    def add(self, item: Item, got: set[str]) -> None:
        self.items += 1
        self.topics += len(got)
        for topic in RUNNING_TOPICS:
            kind = (
                ("tp" if topic in item.gold else "fp")
                if topic in got
                else ("fn" if topic in item.gold else "")
            )
            if kind:
                self.counts[topic][kind] += 1
            if item.kind == "near" and item.mentions == topic:
                self.counts[topic]["near"] += 1
                self.counts[topic]["near_in"] += topic in got

    def row(self, name: str) -> str:
        total: Counter[str] = sum(self.counts.values(), Counter())
        cells = []
        for c in [*self.counts.values(), total]:
            precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            cells.append(f"{precision:.2f}/{recall:.2f}")
        near = f"{total['near_in']}/{total['near']}"
        return f"| {name} | {' | '.join(cells)} | {near} | {self.topics / self.items:.2f} |"

    @staticmethod
    def head() -> str:
        names = " | ".join(f"{t} P/R" for t in RUNNING_TOPICS)
        return (
            f"| matcher | {names} | all P/R | near-misses given their subject | "
            f"topics an article |\n|" + "---|" * (len(RUNNING_TOPICS) + 4)
        )
