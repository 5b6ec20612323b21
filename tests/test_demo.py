"""`newsbot demo` as a new user runs it: no token, no network, exit 0."""

from pathlib import Path

from tests.conftest import run_cli


def test_the_demo_shows_the_whole_product_offline(tmp_path: Path) -> None:
    result = run_cli("demo", cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    steps = [
        "Polled 4 sources: 8 articles", "👤 Sam: /start", "👆 Sam presses “Economy”",
        "[ ✅ Economy ]", "Sam: /time 7:30", "07:30", "Sam: /digest", "📰 Your news digest",
        "Sam: /search oil", "Sam: /search غزة", "قطاع غزة",
        "✅ Demo finished",
    ]  # fmt: skip
    for step in steps:
        assert step in out, step
    # The same event from two outlets is one story (which outlet came first varies).
    lines = out.splitlines()
    assert any("Harbor Times" in line and "Northwind Post" in line for line in lines)
    assert any(line.strip().startswith("Related:") and "OPEC+" in line for line in lines)
    assert not (tmp_path / "data").exists(), "the demo leaves nothing behind"
