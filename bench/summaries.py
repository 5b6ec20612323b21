"""newsbot's extractive summaries beside Lead-k, LexRank and TextRank, in one run.

Runs the shared ../shared/bench/curation/baseline_summ.py (its loaders, its
sentence splitting, its ROUGE with the Arabic-aware tokenizer, its sumy
baselines) with newsbot added as one more method, at the same number of
sentences. Peers need: .venv/bin/pip install -r bench/requirements.txt
Usage: .venv/bin/python bench/summaries.py [--limit N] [--k 3]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "curation"
sys.path.insert(0, str(SHARED))

import baseline_summ  # noqa: E402  (the shared runner and scorer)

from bot.curation.summarize import pick  # noqa: E402

Summarizer = Callable[[list[str], int], list[str]]


def newsbot(language: str) -> Summarizer:
    code = "ar" if language == "arabic" else "en"
    return lambda sentences, k: [sentences[i] for i in pick(sentences, k, language=code)]


def main() -> int:
    make_sumy = baseline_summ.make_sumy

    def with_newsbot(language: str) -> dict[str, Summarizer]:
        return {**make_sumy(language), "newsbot": newsbot(language)}

    baseline_summ.make_sumy = with_newsbot
    argv = sys.argv[1:]
    if "--methods" not in argv:
        argv += ["--methods", "lead", "lexrank", "textrank", "newsbot"]
    if "--k" not in argv:
        argv += ["--k", "3"]
    sys.argv = [sys.argv[0], "--no-save", *argv]
    baseline_summ.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
