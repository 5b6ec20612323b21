"""Optional abstractive summaries from an OpenAI-compatible chat endpoint.

Off unless SUMMARY_API_URL is set. Any error, timeout, refusal or empty answer
gives None, and the caller keeps the extractive summary: the bot never waits
on, or fails because of, a model.
"""

from __future__ import annotations

import logging

import httpx

from bot.config import Settings
from bot.curation.answers import post_json

log = logging.getLogger(__name__)
MAX_ANSWER = 1024 * 1024  # bytes: a summary of 200 tokens comes in a few KB

_PROMPTS = {
    "ar": "لخّص الخبر التالي بالعربية في جملتين أو ثلاث جمل قصيرة، دون عنوان ودون مقدمة.",
    "en": "Summarize the following news article in English in two or three short sentences, "
    "with no title and no preamble.",
}


class Summarizer:
    """One client for the endpoint; `summarize` returns None whenever it cannot help."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.enabled = settings.summary_api_url is not None
        headers = {"User-Agent": settings.http_user_agent}
        if settings.summary_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.summary_api_key.get_secret_value()}"
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.summary_timeout_seconds), headers=headers
        )

    async def summarize(self, title: str, text: str, language: str) -> str | None:
        if not self.enabled or not text.strip():
            return None
        url = f"{str(self.settings.summary_api_url).rstrip('/')}/chat/completions"
        prompt = _PROMPTS.get(language, _PROMPTS["en"])
        body = {
            "model": self.settings.summary_model,
            "messages": [
                {"role": "system", "content": prompt},
                {"role": "user", "content": f"{title}\n\n{text[:6000]}"},
            ],
            "temperature": 0.2,
            "max_tokens": 200,
        }
        try:
            # The whole answer gets the timeout's seconds (a trickle counts) and MAX_ANSWER.
            answer = await post_json(self._client, url, body,
                                     seconds=self.settings.summary_timeout_seconds,
                                     max_bytes=MAX_ANSWER)  # fmt: skip
            content = answer["choices"][0]["message"]["content"]
        except (httpx.HTTPError, TimeoutError, ValueError, KeyError, IndexError,
                TypeError) as error:  # fmt: skip
            log.warning("abstractive summary failed, kept the extractive one reason=%s",
                        type(error).__name__)  # fmt: skip
            return None
        summary = " ".join(str(content or "").split())
        return summary[: self.settings.summary_max_chars] or None

    async def aclose(self) -> None:
        await self._client.aclose()
