"""`newsbot demo`: the whole product offline, with no token and no network.

A loopback news site serves sample feeds and pages (bot/data/demo, written for
this project); a loopback Telegram Bot API stands in for Telegram; the real bot
polls the site, curates the stories, and talks to a scripted reader, whose
conversation is printed as it happens.
"""

from __future__ import annotations

import asyncio
import tempfile
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.app import build_application
from bot.cli.common import ready_engine
from bot.config import Settings
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite

OUTLETS = {"harbor": ("Harbor Times", "en"), "northwind": ("Northwind Post", "en"),
           "wadi": ("أخبار الوادي", "ar"), "sahil": ("صحيفة الساحل", "ar")}  # fmt: skip
READER = FakeBotAPI.user(424242, "Sam", "en")


def run(settings: Settings, out: Any) -> int:
    """Runs the demo, printing to `out`; 0 when every step got its answer."""
    return asyncio.run(_demo(settings, out))


async def _demo(settings: Settings, out: Any) -> int:
    folder = Path(str(resources.files("bot") / "data" / "demo"))
    with (
        tempfile.TemporaryDirectory(prefix="newsbot-demo-") as temp,
        NewsSite(folder) as site,
        FakeBotAPI() as api,
    ):
        catalog = Path(temp) / "sources.toml"
        catalog.write_text("".join(
            f'[[source]]\nname = "{name}"\nurl = "{site.url(f"/{key}.xml")}"\n'
            f'language = "{language}"\nverified = true\n\n'
            for key, (name, language) in OUTLETS.items()
        ), encoding="utf-8")  # fmt: skip
        demo = settings.model_copy(update={
            "telegram_bot_token": SecretStr(api.token), "telegram_api_base_url": api.base_url,
            "database_url": f"sqlite:///{Path(temp) / 'demo.db'}", "sources_file": catalog,
            "allow_private_sources": True, "default_language": "en",
            "default_timezone": "Asia/Riyadh",
        })  # fmt: skip
        engine = ready_engine(demo)
        say(out, "📡", f"A news site on {site.base_url} serves 4 sample outlets (2 Arabic, "
                       "2 English); a stand-in for Telegram runs on "
                       f"{api.base_url.rsplit('/', 1)[0]}.")  # fmt: skip
        async with make_client(demo) as client:
            outcomes = await Pipeline(demo, engine, client).poll_due()
        stored = sum(len(o.new_ids) for o in outcomes)
        say(out, "🗞", f"Polled {len(outcomes)} sources: {stored} articles extracted, "
                       "summarized, grouped into stories and tagged with topics.")  # fmt: skip
        application = build_application(demo, engine)
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            ok = await _conversation(api, out)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
            if application.post_shutdown is not None:  # the bots' connections
                await application.post_shutdown(application)
        engine.dispose()
    say(out, "✅" if ok else "❌", "Demo finished. Get a token from @BotFather to run it for real: "
                                  "see the README." if ok else "A step got no answer.")  # fmt: skip
    return 0 if ok else 1


async def _conversation(api: FakeBotAPI, out: Any) -> bool:
    steps: list[tuple[str, str | None]] = [
        ("/start", None),
        ("press", "Middle East"),
        ("press", "Economy"),
        ("/time 7:30", None),
        ("/digest", None),
        ("/search oil", None),
        ("/search غزة", None),
    ]
    chat = READER["id"]
    for action, button in steps:
        before = _snapshot(api, chat)
        if action == "press":
            say(out, "👆", f"Sam presses “{button}”")
            picker = next(m for m in api.messages(chat) if m.get("reply_markup"))
            api.press(READER, picker, text=button)
        else:
            say(out, "👤", f"Sam: {action}")
            api.send(READER, action)
        changed = await asyncio.to_thread(_await_change, api, chat, before)
        if not changed:
            return False
        await asyncio.sleep(0.3)  # let the follow-ups of the same answer arrive
        _print_changes(api, chat, before, out)
    return True


def _snapshot(api: FakeBotAPI, chat: int) -> dict[int, str]:
    return {m["message_id"]: repr((m["text"], m.get("reply_markup"))) for m in api.messages(chat)}


def _await_change(api: FakeBotAPI, chat: int, before: dict[int, str]) -> bool:
    try:
        api.wait_for(lambda: _snapshot(api, chat) != before, timeout=15)
    except TimeoutError:
        return False
    return True


def _print_changes(api: FakeBotAPI, chat: int, before: dict[int, str], out: Any) -> None:
    for message in api.messages(chat):
        state = repr((message["text"], message.get("reply_markup")))
        if before.get(message["message_id"]) == state:
            continue
        verb = "edits its message" if message["message_id"] in before else "says"
        say(out, "🤖", f"newsbot {verb}:\n{_shown(message)}")


def _shown(message: dict[str, Any]) -> str:
    text = message["text"]
    lines = [textwrap.indent(line, "    ") for line in text.splitlines()]
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        lines.append("    " + " ".join(f"[ {b['text']} ]" for b in row))
    return "\n".join(lines)


def say(out: Any, mark: str, words: str) -> None:
    out.write(f"{mark} {words}\n\n")
    out.flush()
