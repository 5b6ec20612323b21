"""newsbot's extractor beside trafilatura and readability-lxml, on every set, in one run.

Sets (all in ../shared/bench, read-only):
  extraction/   181 real pages with hand-made bodies: F1, precision and recall as that
                folder's score.py defines them (token 4-grams), and per-page F1
  readability/  65 of Mozilla Readability's test cases: body F1 = F1 of the bags of
                lower-cased \\w+ tokens against expected.html's text, per case; title,
                byline and date against expected-metadata.json. Split, before any tuning,
                by name order: "tune" the 1st, 3rd, ... case, "check" the 2nd, 4th, ...;
                "news" the 20 cases from news outlets
  real/         12 real article pages (title, first and last words, date against
                truth.json) and 6 real feeds (items parsed against a plain count of
                <item>/<entry> elements)
  arabic/       11 Arabic pages through that folder's own check.py

Each extractor runs on each set in a fresh process of its own, so pages/s counts its
start-up (importing the library and all it loads) with the pages: pages / (start-up +
extraction seconds). Pages are read before the clock starts. Each extractor is called
once per page for all that is scored: newsbot extract_article(html, url);
trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False);
readability-lxml Document(html).summary(html_partial=True), as text by html-text, and
.short_title() (it finds no byline or date).

Usage: .venv/bin/python bench/extraction.py [--only newsbot,trafilatura]
           [--sets extraction,readability,real,arabic] [--cases]
--cases also prints every readability case's F1 side by side.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "bench"
sys.path.insert(0, str(SHARED / "extraction"))
sys.path.insert(0, str(HERE.parent))

import score  # noqa: E402  (the benchmark's own scorer, standard library only)

EXTRACTORS = ("newsbot", "trafilatura", "readability")
SETS = ("extraction", "readability", "real", "arabic")
FAKE_URL = "http://fakehost/test/page.html"  # what Readability's own tests give
# The readability cases that are articles of news outlets, chosen by the outlet
# before any result was seen.
NEWS = {
    *("aktualne", "ars-1", "bbc-1", "breitbart", "buzzfeed-1", "cnet-svg-classes", "heise"),
    *("la-nacion", "lemonde-1", "msn", "nytimes-1", "nytimes-3", "nytimes-5", "qq"),
    *("salon-1", "seattletimes-1", "theverge", "wapo-2", "yahoo-2", "yahoo-4"),
}
Result = dict[str, Any]  # title, body, author, date (ISO, YYYY-MM-DD first)
Page = tuple[str, str, str, dict[str, Any]]  # id, html, url, truth


# ------------------------------------------------------------------ pages


def read(path: Path) -> str:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def load(name: str) -> list[Page]:
    if name == "extraction":
        folder = SHARED / "extraction"
        truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
        return [
            (pid, read(folder / "html" / f"{pid}.html.gz"), truth[pid].get("url", ""), truth[pid])
            for pid in sorted(truth)
        ]
    if name == "readability":
        folder = SHARED / "readability"
        cases = sorted(p.name for p in folder.iterdir() if p.is_dir())
        pages = []
        for n, case in enumerate(cases):
            truth = json.loads((folder / case / "expected-metadata.json").read_text("utf-8"))
            truth["half"] = "tune" if n % 2 == 0 else "check"
            truth["expected"] = folder / case / "expected.html"
            pages.append((case, read(folder / case / "source.html"), FAKE_URL, truth))
        return pages
    if name == "real":
        truth = json.loads((SHARED / "real" / "truth.json").read_text("utf-8"))
        return [
            (key, read(SHARED / "real" / key), value.get("url", ""), value)
            for key, value in truth.items()
            if not key.startswith("_")
        ]
    if name == "arabic":
        truth = json.loads((SHARED / "arabic" / "truth.json").read_text("utf-8"))["pages"]
        return [(pid, read(SHARED / "arabic" / t["file"]), t["url"], t) for pid, t in truth.items()]
    raise ValueError(name)


# ------------------------------------------------------------- extractors


def make(name: str) -> tuple[str, Callable[[str, str], Result]]:
    from importlib import metadata

    if name == "newsbot":
        from bot.ingest.extract import extract_article

        def newsbot(html: str, url: str) -> Result:
            found = extract_article(html, url or None)
            return {
                "title": found.title,
                "body": found.text,
                "author": found.author,
                "date": found.published.isoformat() if found.published else None,
                "related": [{"headline": r.title, "url": r.url} for r in found.related],
            }

        return metadata.version("newsbot"), newsbot
    if name == "trafilatura":
        import trafilatura

        def traf(html: str, url: str) -> Result:
            doc = trafilatura.bare_extraction(
                html, url=url or None, with_metadata=True, include_comments=False
            )
            got = (doc.as_dict() if hasattr(doc, "as_dict") else doc) or {}
            fields = {"title": "title", "body": "text", "author": "author", "date": "date"}
            return {mine: got.get(theirs) for mine, theirs in fields.items()}

        return metadata.version("trafilatura"), traf
    if name == "readability":
        import html_text
        from readability import Document

        def rdb(html: str, url: str) -> Result:
            doc = Document(html)
            body = html_text.extract_text(doc.summary(html_partial=True))
            return {"title": doc.short_title(), "body": body, "author": None, "date": None}

        return f"readability-lxml {metadata.version('readability-lxml')}", rdb
    raise ValueError(name)


def worker(name: str, set_name: str) -> None:
    """One extractor on one set, in this fresh process; JSON on stdout."""
    pages = load(set_name)
    start = time.perf_counter()
    version, run = make(name)
    ready = time.perf_counter()
    out: dict[str, Result] = {}
    for pid, html, url, _ in pages:
        try:
            out[pid] = run(html, url)
        except Exception as error:  # a crash scores as an empty page
            out[pid] = {"error": f"{type(error).__name__}: {error}"[:200]}
    done = time.perf_counter()
    report = {"version": version, "start_s": ready - start, "run_s": done - ready, "results": out}
    json.dump(report, sys.stdout, ensure_ascii=False)


def spawn(name: str, set_name: str) -> dict[str, Any] | None:
    command = [sys.executable, __file__, "--worker", name, "--set", set_name]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        print(f"# {name} on {set_name}: skipped ({last})", flush=True)
        return None
    data: dict[str, Any] = json.loads(proc.stdout)
    data["pages_per_s"] = len(data["results"]) / (data["start_s"] + data["run_s"])
    errors = sum("error" in r for r in data["results"].values())
    print(
        f"# {name} {data['version']} on {set_name}: {len(data['results'])} pages, start-up "
        f"{data['start_s']:.2f} s, pages {data['run_s']:.2f} s, {errors} errors",
        flush=True,
    )
    return data


# ---------------------------------------------------------------- scoring

_WORD = re.compile(r"\w+")
_LETTERS = re.compile(r"[^\W\d_]+")
_NOT_NAMES = {"by", "and", "written", "edited", "von", "par", "et", "avec", "und", "de"}
_SEPARATED = re.compile(r"\s+[|\-–—:·»]\s+|\s*[|_]\s*")


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def bag_f1(truth: str, found: str | None) -> float:
    want, got = Counter(words(truth)), Counter(words(found))
    if not want and not got:
        return 1.0
    common = sum((want & got).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def shingle_f1(truth: str, found: str | None) -> float:
    counts = score.page_counts(truth, found)
    precision, recall = score.page_precision(*counts), score.page_recall(*counts)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def title_hit(truth: str | None, found: str | None) -> bool:
    """The same words, or the expected title without its site's part ("X | Site")."""
    got = words(found)
    if not truth or not got:
        return False
    if got == words(truth):
        return True
    parts = [words(p) for p in _SEPARATED.split(truth) if words(p)]
    return len(parts) > 1 and got in (parts[0], parts[-1], max(parts, key=len))


def byline_hit(truth: str | None, found: str | None) -> bool:
    """The names found are the expected ones, or among them (a co-author left out)."""
    want = {w for w in _LETTERS.findall((truth or "").lower()) if w not in _NOT_NAMES}
    got = {w for w in _LETTERS.findall((found or "").lower()) if w not in _NOT_NAMES}
    return bool(want and got) and (got <= want or want <= got)


def date_hit(truth: str | None, found: str | None) -> bool:
    return bool(truth and found) and str(found)[:10] == str(truth)[:10]


def _rfind(hay: list[str], needle: list[str]) -> int:
    for start in range(len(hay) - len(needle), -1, -1):
        if needle and hay[start : start + len(needle)] == needle:
            return start
    return -1


def _count(values: list[bool]) -> str:
    return f"{sum(values)}/{len(values)}" if values else "-"


def _stats(f1s: list[float]) -> str:
    low = sum(f < 0.8 for f in f1s)
    return f"{statistics.mean(f1s):.3f} | {statistics.median(f1s):.3f} | {low}"


def _under(label: str, f1s: dict[str, dict[str, float]]) -> list[str]:
    """newsbot's pages under 0.8, with what the peers got on them."""
    mine = f1s.get("newsbot", {})
    peers = [n for n in f1s if n != "newsbot"]
    return [
        f"#   {label} under 0.8: {pid[:40]} newsbot {f:.3f}"
        + "".join(f", {n} {f1s[n][pid]:.3f}" for n in peers)
        for pid, f in mine.items()
        if f < 0.8
    ]


def score_extraction(pages: list[Page], runs: dict[str, dict[str, Any]]) -> list[str]:
    truth = {pid: t.get("articleBody") or "" for pid, _, _, t in pages}
    lines = [
        "",
        "extraction/ (181 pages; F1, precision, recall as score.py; mean, median, <0.8 per page)",
        "| extractor | F1 | precision | recall | mean | median | <0.8 | pages/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    f1s: dict[str, dict[str, float]] = {}
    for name, data in runs.items():
        found = {pid: data["results"][pid].get("body") for pid in truth}
        whole = score.score(truth, found, n_bootstrap=0)
        f1s[name] = {pid: shingle_f1(truth[pid], found[pid]) for pid in truth}
        lines.append(
            f"| {name} | {whole['f1']:.3f} | {whole['precision']:.3f} | {whole['recall']:.3f} | "
            f"{_stats(list(f1s[name].values()))} | {data['pages_per_s']:.1f} |"
        )
    return lines + _under("extraction", f1s)


def _expected_text(path: Path) -> str:
    import html_text  # the same html -> text as readability-lxml's output gets

    return str(html_text.extract_text(path.read_text("utf-8")))


def score_readability(pages: list[Page], runs: dict[str, dict[str, Any]], cases: bool) -> list[str]:
    expected = {pid: _expected_text(t["expected"]) for pid, _, _, t in pages}
    f1s = {
        name: {pid: bag_f1(expected[pid], data["results"][pid].get("body")) for pid in expected}
        for name, data in runs.items()
    }
    half = {pid: t["half"] for pid, _, _, t in pages}
    groups: dict[str, Callable[[str], bool]] = {
        "tune": lambda pid: half[pid] == "tune",
        "check": lambda pid: half[pid] == "check",
        "all": lambda pid: True,
        "news": lambda pid: pid in NEWS,
        "news tune": lambda pid: pid in NEWS and half[pid] == "tune",
        "news check": lambda pid: pid in NEWS and half[pid] == "check",
    }
    lines = [
        "",
        "readability/ (65 cases; body F1 of word bags; title, byline, date: hits among the "
        "cases that have one)",
        "| cases | extractor | mean | median | <0.8 | title | byline | date | pages/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, keep in groups.items():
        chosen = [(pid, t) for pid, _, _, t in pages if keep(pid)]
        for name, data in runs.items():
            got = data["results"]
            titles = [title_hit(t["title"], got[p].get("title")) for p, t in chosen if t["title"]]
            bylines = [
                byline_hit(t["byline"], got[p].get("author")) for p, t in chosen if t["byline"]
            ]
            dates = [
                date_hit(t["publishedTime"], got[p].get("date"))
                for p, t in chosen
                if t["publishedTime"]
            ]
            speed = f"{data['pages_per_s']:.1f}" if label == "all" else ""
            lines.append(
                f"| {label} ({len(chosen)}) | {name} | {_stats([f1s[name][p] for p, _ in chosen])}"
                f" | {_count(titles)} | {_count(bylines)} | {_count(dates)} | {speed} |"
            )
    for which in ("tune", "check"):
        part = {n: {p: f for p, f in v.items() if half[p] == which} for n, v in f1s.items()}
        lines += _under(f"readability {which}", part)
    if cases:
        lines += ["", "| case | half | " + " | ".join(runs) + " |"]
        for pid in expected:
            values = " | ".join(f"{f1s[n][pid]:.3f}" for n in runs)
            lines.append(f"| {pid} | {half[pid]}{' news' if pid in NEWS else ''} | {values} |")
    return lines


def real_hits(truth: dict[str, Any], found: Result) -> dict[str, bool]:
    body = words(found.get("body"))
    first, last = words(truth["body_first"]), words(truth["body_last"])
    end = _rfind(body, last)
    unwanted = truth.get("body_must_not_contain", [])
    return {
        "title": words(found.get("title"))
        in (words(truth["title"]), words(truth.get("title_alt"))),
        "first": body[: len(first)] == first,
        # the last narrative words, then at most a credit line
        "last": end >= 0 and len(body) - end - len(last) <= 30,
        "clean": all(_rfind(body, words(s)) < 0 for s in unwanted),
        "date": date_hit(truth["published"], found.get("date")),
    }


def score_real(pages: list[Page], runs: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "real/ pages (12; first: the body starts with the truth's first words; last: it ends "
        "with its last words, then at most 30 words of credit)",
        "| extractor | title | first | last | clean | date | pages/s |",
        "|---|---|---|---|---|---|---|",
    ]
    misses = []
    for name, data in runs.items():
        hits: dict[str, list[bool]] = {}
        for pid, _, _, truth in pages:
            got = real_hits(truth, data["results"][pid])
            for key, value in got.items():
                hits.setdefault(key, []).append(value)
            if name == "newsbot" and not all(got.values()):
                wrong = ", ".join(k for k, v in got.items() if not v)
                misses.append(f"#   newsbot misses on {pid.split('/')[-1][:48]}: {wrong}")
        counts = " | ".join(_count(v) for v in hits.values())
        lines.append(f"| {name} | {counts} | {data['pages_per_s']:.1f} |")
    return lines + misses


def score_feeds() -> list[str]:
    from bot.ingest.feeds import parse_feed

    lines = [
        "",
        "real/ feeds (newsbot's parse_feed)",
        "| feed | <item>/<entry> | items parsed | all |",
        "|---|---|---|---|",
    ]
    for path in sorted((SHARED / "real" / "feeds").iterdir()):
        body = path.read_bytes()
        count = len(re.findall(rb"<(?:item|entry)[\s>]", body))
        items = len(parse_feed(body, url="https://feed.test/").items)
        lines.append(f"| {path.name} | {count} | {items} | {'yes' if items == count else 'NO'} |")
    return lines


def score_arabic(runs: dict[str, dict[str, Any]]) -> list[str]:
    """The Arabic pages through check.py, with the runs' own results."""
    sys.path.insert(0, str(SHARED / "arabic"))
    import check

    truth = check.load_truth()
    lines = ["", "arabic/ (11 pages, check.py; pages/s at the end of each row)", check.HEADER]
    for name, data in runs.items():
        results = {pid: check.check_page(t, data["results"].get(pid)) for pid, t in truth.items()}
        lines.append(f"{check.summarise(name, results)} {data['pages_per_s']:.1f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(EXTRACTORS))
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--cases", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--set", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.set)
        return 0
    lines: list[str] = []
    for set_name in args.sets.split(","):
        runs = {n: d for n in args.only.split(",") if (d := spawn(n, set_name)) is not None}
        if set_name == "extraction":
            lines += score_extraction(load(set_name), runs)
        elif set_name == "readability":
            lines += score_readability(load(set_name), runs, args.cases)
        elif set_name == "real":
            lines += score_real(load(set_name), runs) + score_feeds()
        elif set_name == "arabic":
            lines += score_arabic(runs)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
