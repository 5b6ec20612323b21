"""newsbot's extractor beside trafilatura and readability-lxml, in one run.

Runs over ../shared/bench/extraction (181 real pages with hand-made truth),
scored and timed by that folder's own baselines.py / score.py, so the rows are
comparable. Peers are skipped with a note when not installed:
    .venv/bin/pip install -r bench/requirements.txt
Usage: .venv/bin/python bench/extraction.py [--only newsbot,trafilatura] [--warmup 5]
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction"
sys.path.insert(0, str(SHARED))

import baselines  # noqa: E402  (the shared runner and scorer)

from bot.ingest.extract import extract_article  # noqa: E402


def make_newsbot():  # type: ignore[no-untyped-def]
    def run(html: str, url: str) -> str:
        return extract_article(html, url).text

    return f"newsbot {metadata.version('newsbot')}", run


def main() -> int:
    peers = {name: baselines.EXTRACTORS[name] for name in ("trafilatura", "readability")}
    baselines.EXTRACTORS = {"newsbot": make_newsbot, **peers}
    return int(baselines.main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
