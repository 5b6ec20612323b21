"""The import rules of ../shared/DESIGN.md, read from the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NETWORK = ("httpx",)
PURE = (
    "bot.ingest.decode", "bot.ingest.feeds", "bot.ingest.extract", "bot.language",
    "bot.ingest.urls", "bot.ingest.metadata", "bot.ingest.dates", "bot.ingest.related",
    "bot.ingest.listing", "bot.ingest.body", "bot.ingest.paragraphs", "bot.ingest.furniture",
    "bot.ingest.galleries", "bot.ingest.jsonld", "bot.ingest.bylines", "bot.ingest.titles",
    "bot.ingest.tags", "bot.curation.summarize", "bot.curation.topics", "bot.curation.stories",
    "bot.curation.meanings", "bot.curation.copies", "bot.curation.reports", "bot.curation.mixture",
    "bot.curation.specifics", "bot.curation.story_words",
    "bot.digest.schedule", "bot.digest.render", "bot.digest.rank", "bot.tg.keyboards",
    "bot.digest.when", "bot.digest.brief", "bot.digest.more",
)  # fmt: skip
# (modules the rule covers, what they never import)
RULES = [
    (("storage",), ("bot", "httpx", "telegram", "selectolax", "feedparser")),
    (("bot.ingest",), ("telegram", "bot.tg", "bot.digest")),
    # Curation is called by news in; it never fetches news, and knows nothing of Telegram.
    (("bot.curation",), ("telegram", "bot.tg", "bot.digest", "bot.ingest", "selectolax")),
    (("bot.digest",), ("httpx", "selectolax", "feedparser", "telegram", "bot.ingest")),
    (("bot.tg",), ("httpx", "selectolax", "feedparser", "bot.ingest")),
    (PURE, ("storage", *NETWORK)),
    # The loopback servers stand in for the outside world and know nothing of ours.
    (("bot.loopback",), ("bot.ingest", "bot.digest", "bot.tg", "bot.app", "bot.config", "storage")),
]
# Who may start the loopback servers: the CLI's offline demo only.
LOOPBACK_USERS = ("bot.__main__", "bot.demo")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str) -> set[str]:
    found = set()
    package = module.rsplit(".", 1)[0] if "." in module else module
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(modules: dict[str, set[str]]) -> list[str]:
    broken = []
    for covered, forbidden in RULES:
        for module, imported in modules.items():
            if not any(under(module, c) for c in covered):
                continue
            for name in sorted(imported):
                if any(under(name, f) for f in forbidden):
                    broken.append(f"{module} imports {name}")
    for module, imported in modules.items():
        # Telegram's HTML rules (telegram_html) are plain data any tool may read.
        uses = any(
            under(name, "bot.loopback") and not under(name, "bot.loopback.telegram_html")
            for name in imported
        )
        if uses and not under(module, "bot.loopback") and module not in LOOPBACK_USERS:
            broken.append(f"{module} imports the loopback servers")
    return sorted(set(broken))


def project_modules() -> dict[str, set[str]]:
    modules = {}
    for folder in ("bot", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            name = module_name(path)
            modules[name] = imports_of(path.read_text(encoding="utf-8"), name)
    return modules


def test_the_project_keeps_the_import_rules() -> None:
    modules = project_modules()
    assert "storage.db" in modules and "bot.tg.handlers" in modules
    assert violations(modules) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("storage.chats", "from bot.config import Settings", "storage.chats imports bot.config"),
        ("bot.tg.handlers", "import httpx", "bot.tg.handlers imports httpx"),
        ("bot.tg.handlers", "from ..ingest import fetch", "bot.tg.handlers imports bot.ingest"),
        ("bot.ingest.extract", "from storage import db", "bot.ingest.extract imports storage"),
        ("bot.digest.select", "from telegram import Bot", "bot.digest.select imports telegram"),
        ("bot.jobs", "from bot.loopback import news_site", "bot.jobs imports the loopback"),
    ],
)
def test_the_checker_sees_a_broken_rule(module: str, source: str, expected: str) -> None:
    found = violations({module: imports_of(source, module)})
    assert any(line.startswith(expected) for line in found), found


def test_only_config_reads_the_environment() -> None:
    readers = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "storage").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            reads = (
                isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
                and isinstance(node.value, ast.Name) and node.value.id == "os"
            )  # fmt: skip
            if reads:
                readers.append(module_name(path))
    # __main__ only *sets* PTB_TIMEDELTA for python-telegram-bot; it reads no setting.
    assert sorted(set(readers)) == ["bot.__main__"]
