"""An OpenAI-compatible API's JSON answer, read within bounds: the embeddings
endpoint's (embed.py) and the summarizer's (abstractive.py).

httpx's timeout is per read, so a server sending a byte a second never trips it:
the whole exchange gets `seconds`. And the answer may not pass `max_bytes` once
decoded: a broken or hostile server sending 50 MB, or bytes without end, costs
reading up to the cap, not the process's memory.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx  # the caller's client: httpx is loaded by whoever makes one


class TooLarge(ValueError):
    """The answer passed the cap; str() says by what."""


async def post_json(
    client: httpx.AsyncClient, url: str, body: object, *, seconds: float, max_bytes: int
) -> Any:
    """POSTs `body` as JSON and returns the answer's JSON. Raises what httpx raises
    (an error status included), TimeoutError past `seconds`, TooLarge past
    `max_bytes`, ValueError for an answer that is not JSON."""
    async with asyncio.timeout(seconds), client.stream("POST", url, json=body) as response:
        response.raise_for_status()
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(f"an answer of {int(declared):,} bytes, over {max_bytes:,}")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():  # decoded: a gzip bomb counts whole
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"an answer of over {max_bytes:,} bytes")
            chunks.append(chunk)
    return json.loads(b"".join(chunks))
