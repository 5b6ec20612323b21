"""The threaded HTTP server both loopback servers run on."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # benchmarks open hundreds of connections at once


def serve(handler: type[BaseHTTPRequestHandler]) -> LoopbackServer:
    """Starts a server on 127.0.0.1 at a free port, in a daemon thread."""
    server = LoopbackServer(("127.0.0.1", 0), handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return server
