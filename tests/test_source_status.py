import datetime as dt

from bot.cli.sources import status
from storage.models import Source

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def source(**fields: object) -> Source:
    return Source(name="S", url="https://s.test/rss", last_checked_at=NOW, **fields)


def test_a_source_failing_for_a_day_is_marked_failing() -> None:
    assert status(source(error_count=3, failing_since=NOW - dt.timedelta(hours=2)), NOW) == (
        "erroring (3)"
    )
    assert status(source(error_count=9, failing_since=NOW - dt.timedelta(days=1)), NOW) == "FAILING"
    assert status(source(), NOW) == "ok"
    assert status(source(enabled=False), NOW) == "disabled"
    assert status(source(enabled=False, origin="removed"), NOW) == "removed"
    assert status(Source(name="N", url="https://n.test"), NOW) == "new, unverified"
