"""Telegram's HTML parse mode, as strict as Telegram: text + entities, or an error.

Used by the loopback Bot API server so that a message our renderer gets wrong
fails in tests the way it would fail in production. Supported: b strong i em u
ins s strike del span.tg-spoiler tg-spoiler a[href] tg-emoji code pre
blockquote[expandable]; the entities &lt; &gt; &amp; &quot; and numeric ones.
Lengths and offsets are in UTF-16 code units, as the Bot API counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{1,16});")


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str() is Telegram's wording."""


@dataclass
class _Open:
    tag: str
    entity: dict[str, object]
    start: int  # UTF-16 offset


@dataclass
class Parsed:
    text: str
    entities: list[dict[str, object]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> Parsed:
    out: list[str] = []
    offset = 0  # UTF-16 length of what `out` holds
    stack: list[_Open] = []
    entities: list[dict[str, object]] = []
    pos = 0
    while pos < len(source):
        char = source[pos]
        if char == "<":
            match = _TAG.match(source, pos)
            byte_at = len(source[:pos].encode("utf-8"))
            if not match:
                raise EntityParseError(
                    f"can't parse entities: Unclosed start tag at byte offset {byte_at}"
                )
            closing, name, attrs, _ = match.groups()
            name = name.lower()
            if closing:
                if not stack or stack[-1].tag != name:
                    raise EntityParseError(
                        f"can't parse entities: Unmatched end tag at byte offset {byte_at}, "
                        f'expected "</{stack[-1].tag if stack else ""}>", found "</{name}>"'
                    )
                opened = stack.pop()
                length = offset - opened.start
                if length > 0 and opened.entity["type"] != "plain":
                    entities.append({**opened.entity, "offset": opened.start, "length": length})
            else:
                entity = _entity_for(name, _attributes(attrs), byte_at)
                stack.append(_Open(name, entity, offset))
            pos = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(source, pos)
            if match:
                decoded = _decode_entity(match[1])
                if decoded is not None:
                    out.append(decoded)
                    offset += utf16_len(decoded)
                    pos = match.end()
                    continue
        out.append(char)
        offset += utf16_len(char)
        pos += 1
    if stack:
        raise EntityParseError(
            "can't parse entities: Can't find end tag corresponding to start tag "
            f'"{stack[-1].tag}"'
        )
    entities.sort(key=lambda e: (e["offset"], -int(str(e["length"]))))
    return Parsed("".join(out), entities)


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(text or ""):
        value = match[2] if match[2] is not None else match[3] if match[3] is not None else match[4]
        found[match[1].lower()] = _unescape(value or "")
    return found


def _entity_for(name: str, attrs: dict[str, str], byte_at: int) -> dict[str, object]:
    if name == "a":
        href = attrs.get("href", "")
        if not re.match(r"^(https?|tg|ftp)://", href):
            return {"type": "plain"}  # Telegram silently drops a link it cannot use
        return {"type": "text_link", "url": href}
    if name == "span":
        if attrs.get("class") == "tg-spoiler":
            return {"type": "spoiler"}
        raise EntityParseError(
            'can\'t parse entities: Tag "span" must have class "tg-spoiler" '
            f"at byte offset {byte_at}"
        )
    if name == "tg-emoji":
        return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
    if name == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if name in _SIMPLE:
        entity: dict[str, object] = {"type": _SIMPLE[name]}
        if name == "code" and attrs.get("class", "").startswith("language-"):
            entity["language"] = attrs["class"][len("language-") :]
        return entity
    raise EntityParseError(
        f'can\'t parse entities: Unsupported start tag "{name}" at byte offset {byte_at}'
    )


def _decode_entity(body: str) -> str | None:
    if body.startswith("#"):
        number = int(body[2:], 16) if body[1:2] in "xX" else int(body[1:])
        return chr(number) if 0 < number < 0x110000 else None
    return _NAMED.get(body)


def _unescape(value: str) -> str:
    return _ENTITY.sub(lambda m: _decode_entity(m[1]) or m[0], value)
