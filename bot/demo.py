"""`newsbot demo`: the whole product offline, with no token and no network.

A loopback news site serves sample feeds and pages (bot/data/demo, written for
this project); a loopback Telegram Bot API stands in for Telegram; the real bot
polls the site, curates the stories, and talks to a scripted reader, whose
conversation is printed as it happens.

The sample news is dated relative to the moment the demo runs ({{-40m}} in a file is
40 minutes ago), so it is as fresh on any day as on the day it was written. Every
step must get the answer it is there to show (the digest itself, not "nothing new";
search results, not "none found"): one that does not ends the demo with ❌, saying
which step and what the bot said, and status 1.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import tempfile
import textwrap
from email.utils import format_datetime
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
from bot.texts import text
from bot.tg.startup import start_polling

OUTLETS = {"harbor": ("Harbor Times", "en"), "northwind": ("Northwind Post", "en"),
           "wadi": ("أخبار الوادي", "ar"), "sahil": ("صحيفة الساحل", "ar")}  # fmt: skip
READER = FakeBotAPI.user(424242, "Sam", "en")


_WHEN = re.compile(r"\{\{-(\d+)([mhd])\}\}")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class NoRealAnswer(Exception):
    """A step of the demo got no answer, or not the one it is there to show."""


def run(settings: Settings, out: Any, *, news: Path | None = None) -> int:
    """Runs the demo, printing to `out`; 0 when every step got its answer. `news` is a
    folder of sample news shaped as bot/data/demo (the bundled one by default)."""
    folder = news or Path(str(resources.files("bot") / "data" / "demo"))
    try:
        return asyncio.run(_demo(settings, out, folder))
    except NoRealAnswer as error:
        say(out, "❌", f"{error} The demo did not show what it should: please report it.")
        return 1


def dated(text: str, now: dt.datetime, *, feed: bool) -> str:
    """The sample's times ({{-40m}}: 40 minutes, h hours, d days before `now`), written
    as feeds write them (RFC 2822) or as pages do (ISO 8601)."""

    def when(match: re.Match[str]) -> str:
        moment = now - dt.timedelta(**{_UNITS[match[2]]: int(match[1])})
        return format_datetime(moment) if feed else moment.isoformat(timespec="seconds")

    return _WHEN.sub(when, text)


def _publish(site: NewsSite, folder: Path, now: dt.datetime) -> int:
    """Serves the folder's feeds and pages, dated as of `now`; returns the feeds' items."""
    items = 0
    for file in sorted(folder.rglob("*")):
        if file.suffix not in (".xml", ".html"):
            continue
        text = dated(file.read_text(encoding="utf-8"), now, feed=file.suffix == ".xml")
        items += text.count("<item>")
        site.put("/" + file.relative_to(folder).as_posix(), text)
    return items


async def _demo(settings: Settings, out: Any, folder: Path) -> int:
    with (
        tempfile.TemporaryDirectory(prefix="newsbot-demo-") as temp,
        NewsSite() as site,
        FakeBotAPI() as api,
    ):
        items = _publish(site, folder, dt.datetime.now(dt.UTC))
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
        if stored < items:
            problems = "; ".join(
                f"{o.source}: {o.error or (o.skipped[0].reason if o.skipped else o.status)}"
                for o in outcomes if o.status != "new" or o.skipped
            )  # fmt: skip
            raise NoRealAnswer(f"The sample feeds hold {items} articles and {stored} were "
                               f"stored ({problems or 'no source said why'}).")  # fmt: skip
        application = build_application(demo, engine)
        await application.initialize()
        await application.start()
        assert application.updater is not None
        await start_polling(application.updater, where="loopback", poll_interval=0.0, timeout=1)
        try:
            await _conversation(api, out)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
            if application.post_shutdown is not None:  # the bots' connections
                await application.post_shutdown(application)
            engine.dispose()
    say(out, "✅", "Demo finished. Get a token from @BotFather to run it for real: see the README.")
    return 0


# (what Sam does, the button pressed, what the answer must hold to be the real one)
STEPS: list[tuple[str, str | None, str]] = [
    ("/start", None, "[ Middle East ]"),
    ("press", "Arabic and English", "[ ✅ Arabic and English ]"),
    ("press", "Middle East", "[ ✅ Middle East ]"),
    ("press", "Economy", "[ ✅ Economy ]"),
    ("/time 7:30", None, text("time_set", "en", time="07:30", zone="Asia/Riyadh")),
    ("/digest", None, "📰 Your news digest"),
    ("/search oil", None, text("search_found", "en", query="oil")),
    ("/search غزة", None, text("search_found", "en", query="غزة")),
]


async def _conversation(api: FakeBotAPI, out: Any) -> None:
    chat = READER["id"]
    for action, button, expected in STEPS:
        before = _snapshot(api, chat)
        if action == "press":
            say(out, "👆", f"Sam presses “{button}”")
            holder = next(m for m in api.messages(chat) if button in _buttons(m))
            api.press(READER, holder, text=button)
        else:
            say(out, "👤", f"Sam: {action}")
            api.send(READER, action)
        step = f"“{action if button is None else button}”"
        if not await asyncio.to_thread(_await_change, api, chat, before):
            raise NoRealAnswer(f"Step {step} got no answer in 15 s.")
        await asyncio.sleep(0.3)  # let the follow-ups of the same answer arrive
        shown = _print_changes(api, chat, before, out)
        if expected not in shown:
            said = " ".join(shown.split())[:200]
            raise NoRealAnswer(f"Step {step} got no real answer: newsbot said “{said}”.")


def _snapshot(api: FakeBotAPI, chat: int) -> dict[int, str]:
    return {m["message_id"]: repr((m["text"], m.get("reply_markup"))) for m in api.messages(chat)}


def _await_change(api: FakeBotAPI, chat: int, before: dict[int, str]) -> bool:
    try:
        api.wait_for(lambda: _snapshot(api, chat) != before, timeout=15)
    except TimeoutError:
        return False
    return True


def _print_changes(api: FakeBotAPI, chat: int, before: dict[int, str], out: Any) -> str:
    """Prints what changed in the chat; returns it as printed."""
    shown = []
    for message in api.messages(chat):
        state = repr((message["text"], message.get("reply_markup")))
        if before.get(message["message_id"]) == state:
            continue
        verb = "edits its message" if message["message_id"] in before else "says"
        shown.append(_picture(api, message) + _shown(message))
        say(out, "🤖", f"newsbot {verb}:\n{shown[-1]}")
    return "\n".join(shown)


def _shown(message: dict[str, Any]) -> str:
    lines = [textwrap.indent(line, "    ") for line in message["text"].splitlines()]
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    for row in rows:
        lines.append("    " + " ".join(f"[ {b['text']} ]" for b in row))
    return "\n".join(lines)


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(b["text"]) for row in rows for b in row]


def _picture(api: FakeBotAPI, message: dict[str, Any]) -> str:
    """The link preview a reader sees above the message, as the stand-in draws it."""
    preview = api.preview(message["chat"]["id"], message["message_id"])
    if preview is None or not preview["above"]:
        return ""
    picture = preview["image"] or "no picture"
    return f"    [🖼 {picture}, from {preview['url']}]\n"


def say(out: Any, mark: str, words: str) -> None:
    out.write(f"{mark} {words}\n\n")
    out.flush()
