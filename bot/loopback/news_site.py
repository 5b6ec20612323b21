"""A news site on 127.0.0.1 serving feeds and article pages, for tests, benchmarks and the demo.

Pages come from a folder (`root`) and from `put()`. Every page answers with an
ETag and Last-Modified and honours If-None-Match / If-Modified-Since with 304.
`rule()` makes one path misbehave: another status (429 with Retry-After, 500,
404), a slow answer, a body that trickles in byte by byte, a redirect chain, an
oversized body, a wrong or missing charset, gzip (whole or cut short). Every
request is recorded in `requests`.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.loopback.server import LoopbackServer, serve

_TYPES = {
    ".xml": "application/rss+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html",
    ".htm": "text/html",
    ".opml": "text/x-opml",
}
_CHUNK = 64 * 1024


@dataclass
class Rule:
    """How one path misbehaves. `times` limits it to the next N requests (None: always)."""

    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0
    redirect_to: str | None = None
    content_type: str | None = None  # sent as given; "" sends no Content-Type at all
    body: bytes | None = None
    size: int | None = None  # serve this many filler bytes instead of the page
    conditional: bool = True  # ETag / Last-Modified and 304
    gzip: bool = False
    truncate_gzip: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None
    trickle: float | None = None  # seconds between one byte of the body and the next


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class _Page:
    body: bytes
    content_type: str | None
    modified: float


class NewsSite:
    """Start with `with NewsSite(folder) as site:`; `site.url("/feed.xml")` is a page's URL."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._pages: dict[str, _Page] = {}
        self._rules: dict[str, list[Rule]] = {}
        self._lock = threading.Lock()
        self.requests: list[Request] = []
        self._server: LoopbackServer | None = None

    def start(self) -> NewsSite:
        self._server = serve(_handler_for(self))
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> NewsSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server, "start() the site first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def put(self, path: str, body: bytes | str, content_type: str | None = None) -> str:
        """Serves `body` at `path` (replacing what was there); returns its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self._lock:
            self._pages["/" + path.lstrip("/")] = _Page(data, content_type, time.time())
        return self.url(path)

    def rule(self, path: str, **how: Any) -> None:
        """Adds a Rule for `path`; rules apply in the order added, each while its `times` last."""
        with self._lock:
            self._rules.setdefault("/" + path.lstrip("/"), []).append(Rule(**how))

    def redirect_chain(self, path: str, hops: int, target: str) -> None:
        """`path` redirects through `hops` - 1 intermediate paths to `target` (302 each)."""
        names = [path] + [f"/_hop/{hops}/{i}{path}" for i in range(1, hops)]
        for here, there in zip(names, [*names[1:], target], strict=True):
            self.rule(here, status=302, redirect_to=there)

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == "/" + path.lstrip("/")]

    # ---- server side ---------------------------------------------------------
    def _take_rule(self, path: str) -> Rule | None:
        with self._lock:
            rules = self._rules.get(path, [])
            for rule in rules:
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        rules.remove(rule)
                return rule
        return None

    def _page(self, path: str) -> _Page | None:
        with self._lock:
            page = self._pages.get(path)
        if page or self.root is None:
            return page
        file = (self.root / path.lstrip("/")).resolve()
        if self.root.resolve() not in file.parents or not file.is_file():
            return None
        return _Page(file.read_bytes(), None, file.stat().st_mtime)

    def _record(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        with self._lock:
            self.requests.append(
                Request(handler.command, path, dict(handler.headers.items()), time.time())
            )


def _default_type(path: str, body: bytes) -> str:
    suffix = Path(path).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or _sniff(body)
    if kind.startswith("text/") or kind.endswith("+xml") or kind.endswith("json"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return kind  # an honest server says nothing it does not know
        return kind + "; charset=utf-8"
    return kind


def _sniff(body: bytes) -> str:
    head = body[:200].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "application/xml"
    return "text/html" if head.startswith(b"<") else "application/octet-stream"


def _handler_for(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def _answer(self, *, send_body: bool) -> None:
            path = urlsplit(self.path).path
            site._record(self, path)
            rule = site._take_rule(path) or Rule()
            if rule.delay:
                time.sleep(rule.delay)
            headers = dict(rule.headers)
            if rule.retry_after is not None:
                headers["Retry-After"] = str(rule.retry_after)
            if rule.redirect_to is not None:
                location = rule.redirect_to
                if location.startswith("/"):
                    location = site.base_url + location
                headers["Location"] = location
                self._send(rule.status or 302, headers, b"", send_body)
                return
            if rule.status is not None and rule.status >= 400:
                self._send(rule.status, headers, f"error {rule.status}\n".encode(), send_body)
                return
            if rule.size is not None:
                self._send_filler(rule, headers, send_body)
                return
            page = site._page(path)
            if page is None:
                self._send(404, headers, b"not found\n", send_body)
                return
            body = rule.body if rule.body is not None else page.body
            kind = rule.content_type
            if kind is None:
                kind = page.content_type or _default_type(path, body)
            if kind:
                headers["Content-Type"] = kind
            if rule.conditional:
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                headers["ETag"] = etag
                headers["Last-Modified"] = formatdate(int(page.modified), usegmt=True)
                if self._not_modified(etag, int(page.modified)):
                    self._send(304, headers, b"", send_body=False)
                    return
            if rule.gzip or rule.truncate_gzip:
                body = gzip.compress(body)
                if rule.truncate_gzip:
                    body = body[: max(10, len(body) // 2)]
                headers["Content-Encoding"] = "gzip"
            self._send(rule.status or 200, headers, body, send_body, rule.trickle)

        def _not_modified(self, etag: str, modified: int) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return etag in [tag.strip() for tag in if_none_match.split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return int(parsedate_to_datetime(since).timestamp()) >= modified
                except (TypeError, ValueError):
                    return False
            return False

        def _send(
            self, status: int, headers: dict[str, str], body: bytes, send_body: bool,
            trickle: float | None = None,
        ) -> None:  # fmt: skip
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body and body and trickle:
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(trickle)
                elif send_body and body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client stopped reading; that is its right

        def _send_filler(self, rule: Rule, headers: dict[str, str], send_body: bool) -> None:
            size = rule.size or 0
            headers.setdefault("Content-Type", rule.content_type or "text/html; charset=utf-8")
            try:
                self.send_response(rule.status or 200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(size))
                self.end_headers()
                chunk = b"<p>" + b"x" * (_CHUNK - 7) + b"</p>\n"
                sent = 0
                while send_body and sent < size:
                    piece = chunk[: size - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # requests are recorded in site.requests instead

    return Handler


def main() -> None:
    """`python -m bot.loopback.news_site FOLDER`: serve a folder; prints the base URL."""
    import sys

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    site = NewsSite(root).start()
    sys.stdout.write(site.base_url + "\n")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
