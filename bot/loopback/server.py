"""The threaded HTTP server both loopback servers run on."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # benchmarks open hundreds of connections at once

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
