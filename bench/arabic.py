"""newsbot's extractor on the Arabic pages, checked beside the peers in one run.

Writes newsbot's predictions for ../shared/bench/arabic and runs that folder's
check.py on them, with --baselines so trafilatura, readability-lxml and the
selectolax floor are checked in the same run (each skipped if not installed).
Usage: .venv/bin/python bench/arabic.py [--per-page]
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench" / "arabic"
sys.path.insert(0, str(SHARED))

import check  # noqa: E402  (the shared checker)

from bot.ingest.decode import decode  # noqa: E402
from bot.ingest.extract import extract_article  # noqa: E402


def predictions() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for page_id, truth in check.load_truth().items():
        raw = (SHARED / truth["file"]).read_bytes()
        if truth["file"].endswith(".gz"):
            raw = gzip.decompress(raw)
        found = extract_article(decode(raw, "text/html").text, truth["url"])
        out[page_id] = {
            "title": found.title,
            "body": found.text,
            "published": found.published.isoformat() if found.published else None,
            "related": [{"headline": r.title, "url": r.url} for r in found.related],
        }
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "newsbot.json"
        path.write_text(json.dumps(predictions(), ensure_ascii=False), encoding="utf-8")
        return int(check.main([str(path), "--baselines", *sys.argv[1:]]))


if __name__ == "__main__":
    sys.exit(main())
