"""Finding English messages of Wagtail's and Django's catalogues in admin HTML.

The English messages are the msgids of the installed catalogues (wagtail's apps,
wagtail_modeladmin, Django's core, admin and auth). A screen fails when a text a person reads
(a text node, or a placeholder/title/aria-label/tooltip, or a label in the JSON that the admin's
JavaScript turns into menus and buttons) is one of those messages, or matches one with its
%(placeholders)s filled in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import django
import wagtail
import wagtail_modeladmin
from bs4 import BeautifulSoup, Comment, Tag

from tests.i18n.po import parse

# Words spelt the same in the Vietnamese admin (loan words, codes, brand names): small on purpose.
SAME_IN_VIETNAMESE = frozenset(
    {"Email", "URL", "ID", "OK", "CSV", "XLSX", "PDF", "Logo", "Video", "Wagtail", "Tags"}
)
# Only messages with at least this many letters are looked for: "A", "No", "PM", "%s" are not
# telling, and a short code like "GIF" is the same in both languages.
MIN_LETTERS = 4

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-zA-Z_][a-zA-Z0-9_]*\}|\{\}")
# Attributes whose text is read (or heard) by people.
READ_ATTRIBUTES = (
    "placeholder",
    "title",
    "aria-label",
    "aria-description",
    "data-w-tooltip-content-value",
    "data-w-clipboard-success-value",
)


def catalogue_files() -> list[Path]:
    wagtail_dir = Path(wagtail.__file__).parent
    modeladmin_dir = Path(wagtail_modeladmin.__file__).parent
    django_dir = Path(django.__file__).parent
    files = list(wagtail_dir.glob("**/locale/en/LC_MESSAGES/*.po"))
    files += list(modeladmin_dir.glob("locale/en/LC_MESSAGES/*.po"))
    for sub in ("conf", "contrib/admin", "contrib/auth"):
        files += list((django_dir / sub / "locale" / "en" / "LC_MESSAGES").glob("*.po"))
    return sorted(files)


def normalise(text: str) -> str:
    """Whitespace collapsed, a trailing colon or ellipsis dropped ("Owner:" reads as "Owner")."""
    text = " ".join(text.split())
    return text.rstrip(":…").rstrip(".").strip() if text.endswith((":", "…", "...")) else text


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@cache
def english_messages() -> tuple[frozenset[str], re.Pattern | None]:
    """(exact English messages, one pattern for the messages with placeholders)."""
    exact: set[str] = set()
    patterns: set[str] = set()
    for path in catalogue_files():
        for entry in parse(path):
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                text = normalise(msgid)
                literal = PLACEHOLDER.sub("", text)
                if text in SAME_IN_VIETNAMESE or _letters(literal) < MIN_LETTERS:
                    continue
                if PLACEHOLDER.search(text):
                    # The literal words must be telling on their own: "%(a)s: %(b)s" is not.
                    if len(re.findall(r"[A-Za-z]{3,}", literal)) >= 1 and _letters(literal) >= 6:
                        parts = PLACEHOLDER.split(text)
                        patterns.add(".+?".join(re.escape(part) for part in parts))
                else:
                    exact.add(text)
    pattern = re.compile("(?:" + "|".join(sorted(patterns)) + ")") if patterns else None
    return frozenset(exact), pattern


def is_english_message(text: str) -> bool:
    text = normalise(text)
    if not text or text in SAME_IN_VIETNAMESE:
        return False
    exact, pattern = english_messages()
    if text in exact:
        return True
    return pattern is not None and pattern.fullmatch(text) is not None


def _json_labels(value) -> Iterator[str]:
    """Strings in the admin's JSON that read as words: capitalised, not identifiers or URLs."""
    if isinstance(value, str):
        if value[:1].isupper() and not value.startswith(("http", "/")):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_labels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_labels(item)


def _maybe_json(text: str):
    text = text.strip()
    if not text or text[0] not in "[{":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def readable_texts(html: str) -> Iterator[tuple[str, str]]:
    """(where, text) for everything on the page a person reads, scripts' code excluded."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all(["script", "style"]):
        if script.name == "script" and "json" in (script.get("type") or ""):
            data = _maybe_json(script.string or "")
            if data is not None:
                for text in _json_labels(data):
                    yield f"json #{script.get('id', '')}", text
        script.decompose()
    for node in soup.find_all(string=True):
        if isinstance(node, Comment):
            continue
        text = " ".join(node.split())
        if text:
            yield f"<{node.parent.name}>", text
    for tag in soup.find_all(True):
        assert isinstance(tag, Tag)
        for attribute, value in tag.attrs.items():
            if isinstance(value, list):
                value = " ".join(value)
            if attribute in READ_ATTRIBUTES:
                yield f"<{tag.name} {attribute}>", value
            elif (
                attribute == "value"
                and tag.name == "input"
                and tag.get("type")
                in (
                    "submit",
                    "button",
                )
            ):
                yield "<input value>", value
            elif attribute.startswith("data-"):
                data = _maybe_json(value)
                if data is not None:
                    for text in _json_labels(data):
                        yield f"<{tag.name} {attribute}>", text


def english_strings(html: str, user_content: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The English catalogue messages readable on the page, user content left out."""
    skip = {normalise(text) for text in user_content}
    found = []
    for where, text in readable_texts(html):
        if normalise(text) in skip:
            continue
        if is_english_message(text):
            found.append((where, " ".join(text.split())))
    return found
