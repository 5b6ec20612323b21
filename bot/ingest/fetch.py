"""The only network code of news in: one shared httpx client and `fetch()`.

`fetch()` does a conditional GET, follows at most `MAX_REDIRECTS` redirects by
hand (so every hop is checked: http/https only, and no private addresses unless
allowed), and streams the body with a size cap that stops reading at the cap.
Every failure is a `FetchError` whose str() is one clear line.

Private addresses are refused where the connection is made: the client resolves
the name once, checks every address, and connects to the one it checked. A check
before the request and a second lookup at connect time would leave a window for
DNS rebinding (a name that answers a public address, then 127.0.0.1).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import select
import socket
import ssl
import zlib
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import brotli
import httpcore
import httpx

from bot.config import Settings

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}

# A name -> its addresses. The system's resolver by default; tests answer for
# names of their own (DNS is outside the machine).
Resolver = Callable[[str, int], Awaitable[list[str]]]
# Set by fetch() for the connections its request opens.
_REFUSE_PRIVATE: ContextVar[bool] = ContextVar("newsbot_refuse_private", default=False)


REASONS = ("unresolvable", "private", "timeout", "status", "too_large", "redirects", "not_http",
           "broken", "network")  # fmt: skip


class FetchError(Exception):
    """A fetch that gave no usable body; str() says why in one line (for logs and the
    CLI), `reason` which kind of failure it was (for a chat, in its language): one of
    unresolvable, private, timeout, status, too_large, redirects, not_http, broken,
    network."""

    retry_after: float | None = None

    def __init__(self, message: str, reason: str = "network") -> None:
        super().__init__(message)
        self.reason = reason


class HTTPStatusError(FetchError):
    def __init__(self, status: int, url: str, retry_after: float | None = None) -> None:
        wait = f", retry after {retry_after:.0f}s" if retry_after is not None else ""
        super().__init__(f"HTTP {status} from {url}{wait}", "status")
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _PrivateAddress(Exception):
    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host, self.address = host, address


async def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:  # UnicodeError: a name IDNA cannot encode
        raise FetchError(f"cannot resolve {host}: {error}", "unresolvable") from error
    return [str(info[4][0]) for info in infos]


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Resolves once, refuses private addresses when fetch() asks, and connects to
    the very address it checked."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, resolve: Resolver) -> None:
        self._inner = inner
        self._resolve = resolve

    async def connect_tcp(
        self, host: str, port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # fmt: skip
        try:
            addresses = [str(ipaddress.ip_address(host))]  # an address already: no lookup
        except ValueError:
            try:
                async with asyncio.timeout(timeout):
                    addresses = await self._resolve(host, port)
            except TimeoutError:
                raise FetchError(f"timed out resolving {host}", "timeout") from None
        if not addresses:
            raise FetchError(f"cannot resolve {host}: no address", "unresolvable")
        if _REFUSE_PRIVATE.get():
            for address in addresses:
                if not ipaddress.ip_address(address.split("%")[0]).is_global:
                    raise _PrivateAddress(host, address)
        stream = await self._inner.connect_tcp(
            addresses[0], port, timeout=timeout, local_address=local_address,
            socket_options=socket_options,
        )  # fmt: skip
        return _Stream(stream)

    async def connect_unix_socket(
        self, path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # fmt: skip
        raise FetchError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """A connection whose "is_readable" (has the server hung up?) is answered from
    the socket. httpcore's pool asks it of every pooled connection each time a
    request comes or goes, and anyio answers by building a table of every attribute
    of the socket (a getpeername() call included): with the pool full of idle
    connections to other sites, the pool's bookkeeping was a sixth of a quiet poll's
    profile, and answering from the socket saved about a tenth of its CPU."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
    ) -> httpcore.AsyncNetworkStream:  # fmt: skip
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


def _readable(sock: socket.socket) -> bool:
    """Whether reading would not wait: on an idle connection, that the server closed
    it (a closed socket counts as readable). poll(), not select(): select() fails on
    descriptors above 1023."""
    descriptor = sock.fileno()
    if descriptor < 0:
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class NewsClient(httpx.AsyncClient):
    """A client from make_client(): the only kind fetch() can keep off private addresses.
    `deadline`: the seconds a whole fetch may take (connecting, every read, the whole
    body, redirects included), so that a site that trickles cannot hold it longer."""

    deadline: float | None = None


def make_client(settings: Settings, *, resolve: Resolver = system_resolver) -> NewsClient:
    """The one client news in shares: timeouts, user agent, pooled connections, and
    connections only to the addresses it resolved and checked."""
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20)
    )
    # httpx has no public way to give its pool a network backend yet
    # (encode/httpx#3749); fail loudly rather than fetch unguarded if that changes.
    pool = getattr(transport, "_pool", None)
    if not isinstance(getattr(pool, "_network_backend", None), httpcore.AsyncNetworkBackend):
        raise RuntimeError("httpx moved its network backend: see bot/ingest/fetch.py")
    pool._network_backend = _PinnedBackend(pool._network_backend, resolve)  # type: ignore[union-attr]
    # With a transport of its own, httpx ignores proxy settings from the environment,
    # so every connection goes through the check.
    client = NewsClient(
        transport=transport,
        timeout=httpx.Timeout(settings.http_timeout_seconds),
        headers={"User-Agent": settings.http_user_agent, "Accept-Encoding": "gzip, deflate, br"},
        follow_redirects=False,
    )
    client.deadline = settings.http_timeout_seconds
    return client


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    allow_private: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    if not allow_private and not isinstance(client, NewsClient):
        raise TypeError("fetch() refuses private addresses only with a client from make_client()")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    refusing = _REFUSE_PRIVATE.set(not allow_private)
    deadline = getattr(client, "deadline", None)
    try:
        async with asyncio.timeout(deadline):
            return await _follow(client, url, headers, max_bytes)
    except TimeoutError:
        raise FetchError(
            f"timed out fetching {url}: no whole answer within {deadline or 0:.0f}s", "timeout"
        ) from None
    finally:
        _REFUSE_PRIVATE.reset(refusing)


async def _follow(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int
) -> FetchResult:
    """The GET of `url`, following redirects by hand, each hop checked."""
    for _ in range(MAX_REDIRECTS + 1):
        check_scheme(url)
        try:
            async with client.stream("GET", url, headers=headers) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code == 304:
                    return _result(url, response, b"")
                if response.status_code >= 400:
                    retry_after = _retry_after(response.headers)
                    raise HTTPStatusError(response.status_code, url, retry_after)
                body = await _read_capped(response, url, max_bytes)
                return _result(url, response, body)
        except _PrivateAddress as refused:
            raise FetchError(
                f"refused {url}: {refused.host} is a private address ({refused.address}); "
                "set ALLOW_PRIVATE_SOURCES=true to allow it",
                "private",
            ) from None
        except httpx.TimeoutException as error:
            raise FetchError(f"timed out fetching {url}", "timeout") from error
        except httpx.HTTPError as error:
            raise FetchError(f"{type(error).__name__} fetching {url}: {error}") from error
    raise FetchError(f"more than {MAX_REDIRECTS} redirects from {url}", "redirects")


def check_scheme(url: str) -> None:
    """Refuses anything but http(s) URLs with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}", "not_http")


async def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    """The decoded body, or FetchError once it passes `max_bytes` or is cut short.

    Decoding is done here rather than by httpx, which accepts a truncated gzip
    stream silently and would hand on half an article.
    """
    declared = response.headers.get("content-length", "")
    decoder = _Decoder(response.headers.get("content-encoding", ""), url)
    if declared.isdigit() and int(declared) > max_bytes and not decoder.encoded:
        raise FetchError(
            f"{url} is too large: {int(declared)} bytes, the limit is {max_bytes}", "too_large"
        )
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        chunk = decoder.feed(raw, max_bytes - size + 1)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"{url} is too large: over {max_bytes} bytes, stopped reading", "too_large"
            )
        chunks.append(chunk)
    decoder.finish()
    return b"".join(chunks)


class _Decoder:
    """Content-Encoding gzip, deflate or br, with output bounded per call."""

    def __init__(self, encoding: str, url: str) -> None:
        self.url = url
        self.name = encoding.strip().lower()
        self.encoded = self.name not in ("", "identity")
        self._zlib: zlib._Decompress | None = None
        self._brotli: brotli.Decompressor | None = None
        if self.name in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.name == "deflate":
            self._zlib = zlib.decompressobj()
        elif self.name == "br":
            self._brotli = brotli.Decompressor()
        elif self.encoded:
            raise FetchError(f"unsupported Content-Encoding {self.name!r} from {url}", "broken")

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            if self._zlib is not None:
                return self._zlib.decompress(data, max(1, limit))
            if self._brotli is not None:
                return self._brotli.process(data, output_buffer_limit=max(1, limit))  # type: ignore[no-any-return]
        except (zlib.error, brotli.error) as error:
            raise FetchError(
                f"broken {self.name} body from {self.url}: {error}", "broken"
            ) from error
        return data

    def finish(self) -> None:
        finished = (
            self._zlib.eof if self._zlib is not None
            else self._brotli.is_finished() if self._brotli is not None
            else True
        )  # fmt: skip
        if not finished:
            raise FetchError(f"broken {self.name} body from {self.url}: cut short", "broken")


def _result(url: str, response: httpx.Response, body: bytes) -> FetchResult:
    return FetchResult(
        url=url,
        status=response.status_code,
        body=body,
        content_type=response.headers.get("content-type"),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
