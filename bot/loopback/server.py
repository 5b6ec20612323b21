"""The threaded HTTP server the loopback servers run on, and the shell of the fake
OpenAI-compatible APIs (chat completions, embeddings)."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # benchmarks open hundreds of connections at once

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self._open_lock:
            self._open.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def cut(self) -> None:
        """Cuts every open connection, as a network that goes away does (a server that
        only stops listening would go on answering on kept-alive connections)."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):  # closed meanwhile
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that vanished (killed, timed out) is not our error; others are."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def serve(handler: type[BaseHTTPRequestHandler], port: int = 0) -> LoopbackServer:
    """Starts a server on 127.0.0.1 at `port` (0: a free one), in a daemon thread."""
    server = LoopbackServer(("127.0.0.1", port), handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server


class JsonHandler(BaseHTTPRequestHandler):
    """A handler that reads and answers JSON, and writes no log lines."""

    protocol_version = "HTTP/1.1"

    def read_json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body: dict[str, Any] = json.loads(self.rfile.read(length) or b"{}")
        return body

    def _send(
        self, status: int, body: dict[str, Any], trickle: float = 0.0, *, padding: int = 0,
        declared: bool = True,
    ) -> None:  # fmt: skip
        """Answers `body`; with `trickle`, one byte of it every `trickle` seconds, as a
        server that is slow but never silent long enough for a read timeout; with
        `padding`, that many spaces after it (still JSON), as a server that answers
        50 MB; not `declared`, with no Content-Length, the body ending as the connection
        closes."""
        data = json.dumps(body).encode("utf-8") + b" " * padding
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            if declared:
                self.send_header("Content-Length", str(len(data)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if not trickle:
                self.wfile.write(data)
                return
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FakeOpenAIAPI:
    """A loopback OpenAI-compatible API, started by `with`: what it was asked, and
    switches for the status it answers with, a delay before answering, a trickle
    (seconds between the answer's bytes), padding (spaces after the answer's JSON) and
    whether the answer's length is declared. Subclasses give the handler."""

    def __init__(self) -> None:
        self.status = 200
        self.delay = 0.0
        self.trickle = 0.0
        self.padding = 0
        self.declared = True
        self.requests: list[dict[str, Any]] = []
        self._server: LoopbackServer | None = None

    def handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._server = serve(self.handler())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server, f"use `with {type(self).__name__}() as api:`"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"
