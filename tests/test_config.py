import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import OFFICIAL_API_BASE_URL, Settings, describe_errors
from tests.conftest import ROOT, run_cli


def test_defaults_need_nothing_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url == OFFICIAL_API_BASE_URL
    assert settings.database_url == "sqlite:///data/newsbot.db"
    assert settings.allow_private_sources is False
    assert settings.sources_path.name == "sources.toml" and settings.sources_path.is_file()
    assert settings.topics_path.name == "topics.toml" and settings.topics_path.is_file()
    assert settings.default_digest_time == dt.time(8, 0)


def test_reads_env_file_and_parses_friendly_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "TELEGRAM_BOT_TOKEN=42:abc\nADMIN_IDS=11, 22\nDEFAULT_DIGEST_TIME=7:30\n"
        "DEFAULT_TIMEZONE=Asia/Riyadh\nALLOW_PRIVATE_SOURCES=true\nDEFAULT_LANGUAGE=en\n"
    )
    settings = Settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "42:abc"
    assert "42:abc" not in repr(settings)
    assert settings.admin_ids == (11, 22)
    assert settings.default_digest_time == dt.time(7, 30)
    assert settings.zone.key == "Asia/Riyadh"
    assert settings.allow_private_sources is True
    assert settings.default_language == "en"


def test_env_example_as_is_gives_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"))
    from_example = Settings()
    assert from_example == Settings(_env_file=None)  # type: ignore[call-arg]
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert documented == {name.upper() for name in Settings.model_fields}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("POLL_INTERVAL_SECONDS", "abc", "a whole number of seconds, at least 10"),
        ("POLL_INTERVAL_SECONDS", "3", "a whole number of seconds, at least 10"),
        ("DEFAULT_TIMEZONE", "Mars/Base", "an IANA time zone name"),
        ("DEFAULT_DIGEST_TIME", "25:00", "a time of day as HH:MM"),
        ("DEFAULT_LANGUAGE", "fr", "ar or en"),
        ("ADMIN_IDS", "12,bob", "Telegram user ids separated by commas"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "an http(s) URL"),
        ("SOURCES_FILE", "/no/such.toml", "the path of an existing TOML file"),
        ("HTTP_MAX_BYTES", "-1", "a whole number of bytes"),
        ("LOG_LEVEL", "loud", "DEBUG, INFO, WARNING or ERROR"),
        ("KEEP_NEWS_DAYS", "2", "0 (keep forever) or a number of days, at least 3"),
    ],
)
def test_bad_value_names_the_variable_and_what_is_allowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    [line] = describe_errors(caught.value)
    assert line.startswith(f"{name}=")
    assert expected in line


def test_bad_token_value_is_not_echoed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:secret")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "secret" not in "\n".join(describe_errors(caught.value))


@pytest.mark.parametrize(
    ("name", "value"), [("POLL_INTERVAL_SECONDS", "abc"), ("DEFAULT_TIMEZONE", "Mars/Base")]
)
def test_cli_bad_setting_is_one_line_and_exit_2(tmp_path: Path, name: str, value: str) -> None:
    result = run_cli("sources", "list", cwd=tmp_path, env={name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newsbot: {name}='{value}' is not valid: expected ")
    assert "Traceback" not in result.stderr


def test_an_endpoint_without_its_url_is_one_line_and_shows_no_secret(tmp_path) -> None:
    import pytest
    from pydantic import ValidationError

    from bot.config import Settings, describe_errors

    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, embeddings="endpoint",  # type: ignore[call-arg]
                 telegram_bot_token="123:SECRET-TOKEN")  # fmt: skip
    lines = describe_errors(caught.value)
    assert lines == ["EMBEDDINGS=endpoint needs EMBEDDINGS_API_URL"]
