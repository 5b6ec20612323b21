"""Secrets never leave the process: what is written to stdout and stderr has them replaced.

The log formatter is not enough on its own. Python prints some tracebacks itself (an
uncaught exception, one in a thread, "Exception ignored in ..."), warnings and
libraries write to sys.stderr directly, and python-telegram-bot's InvalidToken message
and every Bot API URL httpx knows carry the token. So the two streams are wrapped, once,
at the entry point, and everything that reaches them passes through `redact`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, TextIO

from pydantic import SecretStr

REPLACEMENT = "<secret>"
# Shorter values are not looked for: a word that common would be blanked from everything.
MIN_SECRET_CHARS = 8


def secrets_in(*values: SecretStr | None) -> tuple[str, ...]:
    """What to look for: each secret, and a bot token's part after its colon (the part
    before it is the bot's public user id), longest first."""
    found: set[str] = set()
    for value in values:
        if value is None:
            continue
        secret = value.get_secret_value().strip()
        found.add(secret)
        _, colon, after = secret.partition(":")
        if colon:
            found.add(after)
    kept = (s for s in found if len(s) >= MIN_SECRET_CHARS)
    return tuple(sorted(kept, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REPLACEMENT)
    return text


class RedactingStream:
    """A text stream that writes whole lines with the secrets replaced.

    A line is held until its newline (or a flush) so that a secret written in two
    pieces is still found. Anything else (fileno, isatty, encoding) is the stream's.
    """

    def __init__(self, stream: TextIO, secrets: tuple[str, ...]) -> None:
        self.stream = stream
        self.secrets = secrets
        self.reader_gone = False  # a write met a pipe nobody reads any more
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        head, newline, tail = self._pending.rpartition("\n")
        if newline:
            self._pending = tail
            self._write(redact(head + newline, self.secrets))
        return len(text)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except BrokenPipeError:
            self.reader_gone = True
            raise

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._write(redact(pending, self.secrets))
        try:
            self.stream.flush()
        except BrokenPipeError:
            self.reader_gone = True
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def guard_output(secrets: tuple[str, ...]) -> None:
    """Wraps sys.stdout and sys.stderr (once; a second call only adds secrets)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, RedactingStream):
            stream.secrets = tuple(sorted({*stream.secrets, *secrets}, key=len, reverse=True))
        elif stream is not None:
            setattr(sys, name, RedactingStream(stream, secrets))
