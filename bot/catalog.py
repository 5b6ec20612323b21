"""The curated sources and topics: TOML catalogs, checked and synced to storage."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.config import is_zone
from bot.curation.topics import TopicRule
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import Source, Topic

_SOURCE_KEYS = {
    "name", "homepage", "url", "kind", "language", "enabled", "verified",
    "poll_interval_seconds", "link_selector", "body_selector", "timezone",
}  # fmt: skip
_TOPIC_KEYS = {"slug", "name_en", "name_ar", "enabled", "keywords_en", "keywords_ar",
               "exclude_en", "exclude_ar", "sections", "describe_en", "describe_ar", "within",
               "desk", "threshold", "places_en", "places_ar"}  # fmt: skip
_RULE_KEYS = ("keywords_en", "keywords_ar", "exclude_en", "exclude_ar", "sections",
              "describe_en", "describe_ar", "places_en", "places_ar")  # fmt: skip
_MATCHING_KEYS = (*_RULE_KEYS, "within", "desk", "threshold")


class CatalogError(ValueError):
    """A catalog file that cannot be used; str() names the file and the entry."""


def load_sources(path: Path) -> list[Source]:
    entries = _entries(path, "source")
    sources, names = [], set()
    for number, entry in enumerate(entries, 1):
        where = f"{path}: source #{number} ({entry.get('name', 'no name')})"
        _check_keys(entry, _SOURCE_KEYS, {"name", "url"}, where)
        if not str(entry["url"]).startswith(("http://", "https://")):
            raise CatalogError(f"{where}: url must start with http:// or https://")
        if entry.get("kind", "feed") not in ("feed", "listing"):
            raise CatalogError(f"{where}: kind must be feed or listing")
        if entry.get("language", "ar") not in ("ar", "en"):
            raise CatalogError(f"{where}: language must be ar or en")
        if "timezone" in entry and not is_zone(entry["timezone"]):
            raise CatalogError(
                f"{where}: timezone must be an IANA zone name such as Asia/Riyadh, "
                f"not {entry['timezone']!r}"
            )
        if entry["name"] in names:
            raise CatalogError(f"{where}: the name is used twice")
        names.add(entry["name"])
        sources.append(Source(**entry))
    return sources


def load_topics(path: Path) -> list[Topic]:
    entries = _entries(path, "topic")
    topics, slugs = [], set()
    for number, entry in enumerate(entries, 1):
        where = f"{path}: topic #{number} ({entry.get('slug', 'no slug')})"
        _check_keys(entry, _TOPIC_KEYS, {"slug", "name_en", "name_ar"}, where)
        slug = str(entry["slug"])
        if not slug.replace("-", "").isalnum() or not slug.isascii() or len(slug) > 32:
            raise CatalogError(f"{where}: slug must be ASCII letters, digits and -, at most 32")
        if slug in slugs:
            raise CatalogError(f"{where}: the slug is used twice")
        slugs.add(slug)
        for key in _RULE_KEYS:
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise CatalogError(f"{where}: {key} must be a list of strings")
        if not isinstance(entry.get("desk", True), bool):
            raise CatalogError(f"{where}: desk must be true or false")
        threshold = entry.get("threshold", 0.5)
        if not isinstance(threshold, int | float) or not 0 < threshold < 1:
            raise CatalogError(f"{where}: threshold must be a number between 0 and 1")
        topics.append(Topic(**{k: v for k, v in entry.items() if k not in _MATCHING_KEYS}))
    for number, entry in enumerate(entries, 1):
        if "within" in entry and entry["within"] not in slugs - {entry["slug"]}:
            raise CatalogError(f"{path}: topic #{number} ({entry['slug']}): within must be "
                               f"the slug of another topic, not {entry['within']!r}")  # fmt: skip
    return topics


def load_topic_rules(path: Path) -> list[TopicRule]:
    """The matching rules of each enabled topic (load_topics has checked the file)."""
    return [
        TopicRule(
            slug=entry["slug"],
            keywords=(*entry.get("keywords_en", []), *entry.get("keywords_ar", [])),
            excludes=(*entry.get("exclude_en", []), *entry.get("exclude_ar", [])),
            sections=tuple(entry.get("sections", [])),
            within=entry.get("within"),
            desk=entry.get("desk", "within" not in entry),
            describe=(*entry.get("describe_en", []), *entry.get("describe_ar", [])),
            threshold=entry.get("threshold"),
            places=(*entry.get("places_en", []), *entry.get("places_ar", [])),
        )
        for entry in _entries(path, "topic")
        if entry.get("enabled", True)
    ]


@dataclass(frozen=True)
class Catalog:
    sources: list[Source]
    topics: list[Topic]


def load(*, sources_path: Path, topics_path: Path) -> Catalog:
    """Both catalogs, checked; raises CatalogError naming the file and entry."""
    return Catalog(load_sources(sources_path), load_topics(topics_path))


def sync(loaded: Catalog, *, session: Session) -> None:
    """Brings the database's catalog sources and topics in line with the files."""
    source_store.sync_catalog(loaded.sources, session=session)
    topic_store.sync_catalog(loaded.topics, session=session)


def _entries(path: Path, table: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogError(f"{path}: cannot read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path}: not valid TOML: {error}") from error
    entries = data.get(table, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CatalogError(f"{path}: expected [[{table}]] tables")
    return entries


def _check_keys(entry: dict[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = sorted(required - set(entry))
    if missing:
        raise CatalogError(f"{where}: missing {', '.join(missing)}")
