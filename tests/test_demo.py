"""`newsbot demo` as a new user runs it: no token, no network, exit 0."""

import datetime as dt
import gc
import io
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import demo
from bot.digest.when import day
from tests.conftest import ROOT, make_settings, run_cli

SAMPLES = ROOT / "bot" / "data" / "demo"


def test_the_demo_shows_the_whole_product_offline(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    now = dt.datetime.now(dt.UTC)
    riyadh = now.astimezone(ZoneInfo("Asia/Riyadh"))
    steps = [
        "Polled 4 sources: 8 articles", "👤 Sam: /start", "👆 Sam presses “Arabic and English”",
        "[ ✅ Arabic and English ]", "👆 Sam presses “Economy”",
        "[ ✅ Economy ]", "Sam: /time 7:30", "07:30", "Sam: /digest",
        f"📰 Your news digest – {day(riyadh.date(), 'en')}",
        "Sam: /search oil", "Sam: /search غزة", "قطاع غزة",
        "✅ Demo finished",
    ]  # fmt: skip
    for step in steps:
        assert step in out, step
    # The same event from two outlets is one story (which outlet came first varies).
    lines = out.splitlines()
    assert any("Harbor Times" in line and "Northwind Post" in line for line in lines)
    digest = out[out.index("Sam: /digest") : out.index("Sam: /search oil")]
    assert "\n    Middle East\n" in digest and "\n    Economy\n" in digest, "both languages"
    # The story's two reports: one is its headline (whichever came first), the other is
    # never a related headline, since its outlet is in the sources line.
    reports = ("Oil jumps as OPEC+", "OPEC+ agrees to cut")
    assert sum(report in digest for report in reports) == 1, digest
    assert re.search(r"\[🖼 http://\S+/images/\S+\.jpg, from http://\S+/articles/\S+\.html\]",
                     digest), "the top story's picture, above the digest"  # fmt: skip
    # Each story says when it was published (the samples: 20 to 160 minutes ago), and
    # the day too when that was before midnight in Riyadh: "yesterday 23:34".
    times = re.findall(r" · (?:yesterday )?(\d\d:\d\d)$", digest, re.MULTILINE)
    assert len(times) >= 4, digest
    for shown in times:
        hour, minute = (int(part) for part in shown.split(":"))
        when = riyadh.replace(hour=hour, minute=minute)
        if when > riyadh + dt.timedelta(minutes=1):  # "yesterday 23:50", run past midnight
            when -= dt.timedelta(days=1)
        assert riyadh - dt.timedelta(hours=3) < when <= riyadh + dt.timedelta(minutes=1), shown
    assert not (tmp_path / "data").exists(), "the demo leaves nothing behind"
    # The sample news is today's news on any day the demo runs (search results give
    # each article's date, in the reader's zone, Asia/Riyadh).
    found = re.findall(r" · (\d{4}-\d\d-\d\d \d\d:\d\d)$", out, re.MULTILINE)
    assert len(found) >= 2, out
    for shown in found:
        when = dt.datetime.fromisoformat(shown).replace(tzinfo=ZoneInfo("Asia/Riyadh"))
        assert now - dt.timedelta(hours=6) < when <= now, shown


def samples(tmp_path: Path, change: tuple[str, str]) -> Path:
    """A copy of the demo's sample news with one change made to every file."""
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    for file in folder.rglob("*.*ml"):
        file.write_text(re.sub(change[0], change[1], file.read_text(encoding="utf-8")))
    return folder


def test_news_too_old_to_be_kept_fails_the_demo_loudly(tmp_path: Path) -> None:
    """As the sample news did once its fixed dates were more than KEEP_NEWS_DAYS old."""
    out = io.StringIO()
    stale = samples(tmp_path, (r"\{\{-\d+m\}\}", "{{-200d}}"))
    assert demo.run(make_settings(tmp_path), out, news=stale) == 1
    said = out.getvalue()
    assert "Demo finished" not in said
    assert "❌ The sample feeds hold 8 articles and 0 were stored" in said
    assert "Sam:" not in said, "no conversation about news that is not there"


def test_a_step_without_its_real_answer_fails_the_demo_loudly(tmp_path: Path) -> None:
    out = io.StringIO()
    no_oil = samples(tmp_path, (r"(?i)\boil\b", "gas"))
    assert demo.run(make_settings(tmp_path), out, news=no_oil) == 1
    said = out.getvalue()
    assert "Demo finished" not in said
    assert (
        "❌ Step “/search oil” got no real answer: newsbot said “I found no stories about "
        "“oil”.”." in said
    )
    assert "/search غزة" not in said, "the demo stops at the step that failed"
    # Every connection the bot opened is closed (the sender's too, though its Bot was never
    # initialized): an unclosed one is a ResourceWarning, an error here, once collected.
    gc.collect()
