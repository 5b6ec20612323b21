"""`newsbot curate` as a user runs it: JSON lines in, curation out."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.cli import curate as cli_curate
from bot.curation.embed import Bundled
from bot.curation.meanings import Vectors, unit
from storage import db
from tests.conftest import child_env, make_settings

WIRE = (
    "Oil prices rose on Monday after OPEC and its allies agreed to cut output by a million "
    "barrels a day from next month. Brent crude gained 3 percent to 92 dollars a barrel. "
    "Analysts said the cut would tighten supply through the winter. Importers in Asia said "
    "they would look for other suppliers. The group meets again in June to review the cut."
)


def curate(lines: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "curate", "--jsonl"],
        input="\n".join(lines) + "\n", env=child_env({}), cwd=cwd,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_curate_prints_summary_story_copies_and_topics(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "title": "Oil prices jump after OPEC cuts output", "text": WIRE,
                    "source": "Wire"}),
        json.dumps({"id": 2, "title": "OPEC output cut lifts oil prices", "text": WIRE,
                    "source": "Daily"}),
        "not json",
        json.dumps({"id": 3, "title": "ريال مدريد يفوز على برشلونة في الكلاسيكو",
                    "text": "فاز ريال مدريد على برشلونة بهدفين مقابل هدف في مباراة الكلاسيكو "
                            "مساء السبت. وسجل المهاجم هدف الفوز في الدقيقة الأخيرة من المباراة."}),
        json.dumps({"id": 4, "title": "no text"}),
    ]  # fmt: skip
    result = curate(lines, tmp_path)
    assert result.returncode == 1, "two lines were bad"
    assert "line 3:" in result.stderr
    assert "line 5: missing 'text'" in result.stderr
    first, second, arabic = (json.loads(line) for line in result.stdout.splitlines())
    assert set(first) == {"id", "language", "summary", "story", "copy_of", "topics"}
    assert first["language"] == "en"
    assert first["summary"].startswith("Oil prices rose on Monday after OPEC")
    assert {t["slug"] for t in first["topics"][:2]} == {"energy", "economy"}
    assert second["story"] == first["story"]
    assert second["copy_of"] == 1
    assert arabic["language"] == "ar"
    assert arabic["story"] != first["story"]
    assert {t["slug"] for t in arabic["topics"]} >= {"football"}
    evidence = {t["slug"]: t["evidence"] for t in [*first["topics"], *arabic["topics"]]}
    assert set(evidence.values()) <= {"rule", "section", "profile", "meaning"}, evidence
    assert evidence["energy"] == "rule", "OPEC, oil prices: the catalog's words"


# Loaded by the commands that need them, never by `newsbot curate`: its start is what an
# operator waits for on every run (bench/curate.py), and these cost it about a second.
NOT_FOR_CURATE = ("telegram", "httpx", "feedparser", "selectolax", "apscheduler",
                  "bot.ingest.pipeline", "bot.ingest.fetch", "bot.delivery", "bot.tg")  # fmt: skip


def test_curate_loads_neither_telegram_nor_news_in(tmp_path: Path) -> None:
    script = (
        "import runpy, sys; sys.argv = ['newsbot', 'curate', '--jsonl']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\n"
        "finally:\n    print(' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    line = json.dumps({"id": 1, "title": "Oil prices jump after OPEC cuts output", "text": WIRE})
    result = subprocess.run(
        [sys.executable, "-c", script], input=line + "\n", cwd=tmp_path,
        env=child_env({"EMBEDDINGS": "off"}), capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == 1
    loaded = result.stderr.strip().splitlines()[-1].split()
    assert [m for m in loaded if m.split(".")[0] in NOT_FOR_CURATE or
            any(m == n or m.startswith(n + ".") for n in NOT_FOR_CURATE)] == []  # fmt: skip


class Recording(Bundled):
    """A bundled model that says when it is loaded and what it is asked, in any thread."""

    name = "recording"
    dim = 4

    def __init__(self) -> None:
        super().__init__()
        self.loaded = threading.Event()
        self.asked: list[list[str]] = []
        self.asked_for: dict[str, threading.Event] = {}  # a text -> set once it is asked

    def load(self) -> bool:
        self.loaded.set()
        return True

    def encode(self, texts: Sequence[str]) -> Vectors | None:
        self.asked.append(list(texts))
        for text in texts:
            self.asked_for.setdefault(text.split(".")[0], threading.Event()).set()
        return unit(np.ones((len(texts), self.dim), dtype=np.float32))

    def wait_for(self, title: str) -> bool:
        return self.asked_for.setdefault(title, threading.Event()).wait(timeout=10)


def curate_in_process(
    model: Recording, titles: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[dict[str, object]]:
    monkeypatch.setattr(cli_curate, "make_embedder", lambda settings: model)
    lines = [json.dumps({"id": n, "title": t, "text": WIRE}) for n, t in enumerate(titles)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    status = cli_curate.run(argparse.Namespace(jsonl=True), make_settings(tmp_path))
    assert status == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_curate_loads_the_model_while_it_makes_its_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, upgrade = Recording(), db.upgrade
    seen: list[bool] = []

    def upgrading(engine: Any, revision: str = "head") -> None:
        seen.append(model.loaded.wait(timeout=10))  # already loading, not after the store
        upgrade(engine, revision)

    monkeypatch.setattr(db, "upgrade", upgrading)
    assert len(curate_in_process(model, ["Oil prices jump"], tmp_path, monkeypatch)) == 1
    assert seen == [True]


def test_curate_embeds_the_next_batch_while_it_curates_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, curate_one = Recording(), cli_curate._curate
    titles = [f"Headline number {n}" for n in range(5)]
    waited: dict[object, bool] = {}

    def curating(item: dict[str, Any], *args: Any) -> dict[str, Any]:
        if item["id"] == 0:  # the first batch's first article: the second batch is asked
            waited[0] = model.wait_for(titles[2])
        return curate_one(item, *args)

    monkeypatch.setattr(cli_curate, "EMBED_BATCH", 2)
    monkeypatch.setattr(cli_curate, "_curate", curating)
    results = curate_in_process(model, titles, tmp_path, monkeypatch)
    assert [r["id"] for r in results] == [0, 1, 2, 3, 4], "in order all the same"
    assert waited == {0: True}
    assert [len(a) for a in model.asked[1:]] == [2, 2, 1], "after the topics' descriptions"
