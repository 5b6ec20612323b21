"""The product's fetch client against the loopback news site, over real HTTP."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli
import httpx
import pytest
import trustme

from bot.config import Settings
from bot.ingest.fetch import (
    FetchError,
    FetchResult,
    HTTPStatusError,
    fetch,
    make_client,
)
from bot.loopback.news_site import NewsSite
from tests.conftest import make_settings

ARABIC_PAGE = "<html><head><title>خبر</title></head><body><p>مرحبا بالعالم</p></body></html>"


@pytest.fixture
def fetch_settings(tmp_path) -> Settings:
    return make_settings(tmp_path, http_timeout_seconds=1.0, http_max_bytes=100_000)


@pytest.fixture
async def client(fetch_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(fetch_settings) as client:
        yield client


async def _get(client: httpx.AsyncClient, url: str, **kwargs: Any) -> FetchResult:
    return await fetch(client, url, max_bytes=100_000, allow_private=True, **kwargs)


async def test_fetches_a_page_with_the_configured_user_agent(
    client: httpx.AsyncClient, news_site: NewsSite, fetch_settings: Settings
) -> None:
    url = news_site.put("/news/1.html", ARABIC_PAGE)
    result = await fetch(client, url, max_bytes=100_000, allow_private=True)
    assert result.status == 200
    assert result.body.decode("utf-8") == ARABIC_PAGE
    assert result.content_type == "text/html; charset=utf-8"
    assert result.etag and result.last_modified
    [request] = news_site.requests_to("/news/1.html")
    assert request.headers["User-Agent"] == fetch_settings.http_user_agent


async def test_conditional_get_answers_304_with_no_body(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    url = news_site.put("/feed.xml", "<rss version='2.0'><channel/></rss>")
    first = await fetch(client, url, max_bytes=10_000, allow_private=True)
    again = await fetch(
        client, url, max_bytes=10_000, allow_private=True,
        etag=first.etag, last_modified=first.last_modified,
    )  # fmt: skip
    assert again.not_modified
    assert again.body == b""
    assert news_site.requests_to("/feed.xml")[1].headers["If-None-Match"] == first.etag
    by_date = await fetch(
        client, url, max_bytes=10_000, allow_private=True, last_modified=first.last_modified
    )
    assert by_date.not_modified
    news_site.put("/feed.xml", "<rss version='2.0'><channel><title>new</title></channel></rss>")
    changed = await fetch(client, url, max_bytes=10_000, allow_private=True, etag=first.etag)
    assert changed.status == 200
    assert b"new" in changed.body


async def test_429_carries_retry_after(client: httpx.AsyncClient, news_site: NewsSite) -> None:
    url = news_site.put("/feed.xml", "<rss/>")
    news_site.rule("/feed.xml", status=429, retry_after=120, times=1)
    with pytest.raises(HTTPStatusError) as caught:
        await fetch(client, url, max_bytes=10_000, allow_private=True)
    assert caught.value.status == 429
    assert caught.value.retry_after == 120
    assert str(caught.value) == f"HTTP 429 from {url}, retry after 120s"
    assert (await fetch(client, url, max_bytes=10_000, allow_private=True)).status == 200


@pytest.mark.parametrize("status", [404, 500, 503])
async def test_error_statuses(client: httpx.AsyncClient, news_site: NewsSite, status: int) -> None:
    url = news_site.put("/page.html", "<p>x</p>")
    news_site.rule("/page.html", status=status)
    with pytest.raises(HTTPStatusError, match=f"HTTP {status} from"):
        await fetch(client, url, max_bytes=10_000, allow_private=True)


async def test_missing_page_is_404(client: httpx.AsyncClient, news_site: NewsSite) -> None:
    with pytest.raises(HTTPStatusError, match="HTTP 404"):
        await fetch(client, news_site.url("/nothing"), max_bytes=10_000, allow_private=True)


async def test_follows_five_redirects_but_not_six(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    news_site.put("/final.html", "<p>here</p>")
    news_site.redirect_chain("/five", 5, "/final.html")
    news_site.redirect_chain("/six", 6, "/final.html")
    result = await fetch(client, news_site.url("/five"), max_bytes=10_000, allow_private=True)
    assert result.url == news_site.url("/final.html")
    assert result.body == b"<p>here</p>"
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await fetch(client, news_site.url("/six"), max_bytes=10_000, allow_private=True)


async def test_redirect_loop_ends(client: httpx.AsyncClient, news_site: NewsSite) -> None:
    news_site.rule("/a", status=302, redirect_to="/b")
    news_site.rule("/b", status=302, redirect_to="/a")
    with pytest.raises(FetchError, match="redirects"):
        await fetch(client, news_site.url("/a"), max_bytes=10_000, allow_private=True)


async def test_oversized_body_stops_at_the_cap(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    news_site.rule("/huge.html", size=50_000_000)
    with pytest.raises(FetchError, match="too large: 50000000 bytes, the limit is 100000"):
        await fetch(client, news_site.url("/huge.html"), max_bytes=100_000, allow_private=True)


async def test_oversized_gzip_body_stops_while_reading(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    news_site.put("/bomb.html", b"<p>" + b"a" * 5_000_000 + b"</p>")
    news_site.rule("/bomb.html", gzip=True)
    with pytest.raises(FetchError, match="too large: over 100000 bytes, stopped reading"):
        await fetch(client, news_site.url("/bomb.html"), max_bytes=100_000, allow_private=True)


async def test_truncated_gzip_is_a_clear_error(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    url = news_site.put("/cut.html", "<p>" + "word " * 2000 + "</p>")
    news_site.rule("/cut.html", truncate_gzip=True)
    with pytest.raises(FetchError, match=r"broken gzip body from .*: cut short"):
        await fetch(client, url, max_bytes=100_000, allow_private=True)


async def test_gzip_body_is_decoded(client: httpx.AsyncClient, news_site: NewsSite) -> None:
    url = news_site.put("/z.html", ARABIC_PAGE)
    news_site.rule("/z.html", gzip=True)
    result = await fetch(client, url, max_bytes=100_000, allow_private=True)
    assert result.body.decode("utf-8") == ARABIC_PAGE


async def test_slow_answer_times_out(client: httpx.AsyncClient, news_site: NewsSite) -> None:
    url = news_site.put("/slow.html", "<p>late</p>")
    news_site.rule("/slow.html", delay=3.0, times=1)
    started = time.monotonic()
    with pytest.raises(FetchError, match=f"timed out fetching {url}"):
        await fetch(client, url, max_bytes=10_000, allow_private=True)
    assert time.monotonic() - started < 2.9, "the client's 1 s timeout, not the site, ended it"


async def test_charset_headers_are_served_as_told(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    cp1256 = ARABIC_PAGE.encode("cp1256")
    url = news_site.put("/cp.html", cp1256)
    assert (await fetch(client, url, max_bytes=10_000, allow_private=True)).content_type == (
        "text/html"
    ), "bytes that are not UTF-8 get no charset from an honest server"
    news_site.rule("/cp.html", content_type="text/html; charset=utf-8", times=1)
    wrong = await fetch(client, url, max_bytes=10_000, allow_private=True)
    assert wrong.content_type == "text/html; charset=utf-8"
    assert wrong.body == cp1256
    news_site.rule("/cp.html", content_type="", times=1)
    assert (await fetch(client, url, max_bytes=10_000, allow_private=True)).content_type is None


async def test_files_are_served_from_the_site_folder(tmp_path, client: httpx.AsyncClient) -> None:
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "world.xml").write_text("<rss version='2.0'/>")
    with NewsSite(tmp_path) as site:
        result = await fetch(client, site.url("/feeds/world.xml"), max_bytes=10_000,
                             allow_private=True)  # fmt: skip
        with pytest.raises(HTTPStatusError, match="404"):
            await fetch(client, site.url("/../etc/passwd"), max_bytes=10_000, allow_private=True)
    assert result.content_type == "application/rss+xml; charset=utf-8"


async def test_private_addresses_are_refused_unless_allowed(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    url = news_site.put("/p.html", "<p>x</p>")
    with pytest.raises(FetchError, match=r"private address.*ALLOW_PRIVATE_SOURCES"):
        await fetch(client, url, max_bytes=10_000, allow_private=False)
    assert news_site.requests_to("/p.html") == [], "refused before any request"
    for address in ("http://10.1.2.3/", "http://169.254.169.254/latest", "http://[::1]:8080/"):
        with pytest.raises(FetchError, match="private address"):
            await fetch(client, address, max_bytes=10_000, allow_private=False)


async def test_only_a_guarded_client_may_refuse_private_addresses(news_site: NewsSite) -> None:
    async with httpx.AsyncClient() as plain:
        with pytest.raises(TypeError, match="make_client"):
            await fetch(plain, news_site.url("/p.html"), max_bytes=10_000, allow_private=False)
    assert news_site.requests == []


async def test_a_name_that_cannot_be_resolved_is_one_clear_line(client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match=r"^cannot resolve a{64}\.test: "):
        await fetch(client, f"http://{'a' * 64}.test/", max_bytes=10_000, allow_private=False)


async def test_the_connection_goes_to_the_address_that_was_checked(
    fetch_settings: Settings, news_site: NewsSite
) -> None:
    """Against DNS rebinding (a name that answers a public address to the check and
    127.0.0.1 to the connect): one lookup per connection, checked, then used."""
    url = news_site.put("/p.html", "<p>x</p>")
    name = url.replace("127.0.0.1", "news.rebind.example")
    lookups: list[str] = []

    async def first_loopback_then_elsewhere(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.255.255.1"]

    async with make_client(fetch_settings, resolve=first_loopback_then_elsewhere) as client:
        with pytest.raises(FetchError, match=r"news.rebind.example is a private address"):
            await fetch(client, name, max_bytes=10_000, allow_private=False)
        assert news_site.requests_to("/p.html") == []
        lookups.clear()
        allowed = await fetch(client, name, max_bytes=10_000, allow_private=True)
    assert allowed.body == b"<p>x</p>"
    assert lookups == ["news.rebind.example"]  # and the connection used its answer
    [request] = news_site.requests_to("/p.html")
    assert request.headers["Host"].startswith("news.rebind.example:")
    lookups.clear()
    async with make_client(fetch_settings, resolve=first_loopback_then_elsewhere) as client:
        await fetch(client, url, max_bytes=10_000, allow_private=True)
    assert lookups == [], "an address in the URL needs no lookup"


async def test_a_connection_the_site_closed_while_idle_is_not_reused(
    client: httpx.AsyncClient,
) -> None:
    """Sites close idle keep-alive connections when they like, without a word. The
    pool must see it (the socket reads as closed) and connect anew."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def site() -> None:
        with listener:
            for n in range(2):
                connection, _ = listener.accept()
                with connection:
                    connection.recv(65536)
                    body = f"answer {n}".encode()
                    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n"
                    connection.sendall(head.encode() + body)
                # ... and closed here, the answer having promised to keep it open.

    threading.Thread(target=site, daemon=True).start()
    first = await _get(client, f"http://127.0.0.1:{port}/a")
    await asyncio.sleep(0.1)  # the close reaches this side
    second = await _get(client, f"http://127.0.0.1:{port}/b")
    assert (first.body, second.body) == (b"answer 0", b"answer 1")


@pytest.fixture
def tls_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, set[int]]]:
    """An HTTPS site on 127.0.0.1 with a certificate for news.tls.example, from a test
    CA the client is told to trust; yields its port and the client ports it saw."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("news.tls.example").configure_cert(context)
    connections: set[int] = set()

    class Page(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            connections.add(self.client_address[1])
            body = f"<p>secure {self.path}</p>".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], connections
    server.shutdown()
    server.server_close()


async def test_https_goes_through_the_checked_connection_and_is_kept_alive(
    fetch_settings: Settings, tls_site: tuple[int, set[int]]
) -> None:
    port, connections = tls_site

    async def here(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    async with make_client(fetch_settings, resolve=here) as client:
        pages = [await fetch(client, f"https://news.tls.example:{port}/{n}", max_bytes=10_000,
                             allow_private=True) for n in (1, 2)]  # fmt: skip
        with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED"):
            await fetch(client, f"https://other.tls.example:{port}/", max_bytes=10_000,
                        allow_private=True)  # fmt: skip
    assert [page.body for page in pages] == [b"<p>secure /1</p>", b"<p>secure /2</p>"]
    assert len(connections) == 1, "the second page came through the same connection"


async def test_every_redirect_hop_is_checked(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    news_site.rule("/out", status=302, redirect_to="ftp://files.example/feed")
    with pytest.raises(FetchError, match="not an http"):
        await fetch(client, news_site.url("/out"), max_bytes=10_000, allow_private=True)


async def test_brotli_body_is_decoded_and_capped(
    client: httpx.AsyncClient, news_site: NewsSite
) -> None:
    url = news_site.put("/br.html", brotli.compress(ARABIC_PAGE.encode()))
    news_site.rule("/br.html", headers={"Content-Encoding": "br"}, times=1)
    assert (await _get(client, url)).body.decode() == ARABIC_PAGE
    news_site.put("/brbomb.html", brotli.compress(b"a" * 20_000_000))
    news_site.rule("/brbomb.html", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="stopped reading"):
        await _get(client, news_site.url("/brbomb.html"))


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "javascript:1"])
async def test_only_http_and_https(client: httpx.AsyncClient, url: str) -> None:
    with pytest.raises(FetchError, match="not an http"):
        await fetch(client, url, max_bytes=10_000, allow_private=True)
