"""A small reader of gettext .po files (the venv has no polib).

Used by the Vietnamese-admin test to learn the English messages of the installed catalogues,
and by locale/tools/ to build and check the project's own Vietnamese catalogue.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        if "fuzzy" in self.flags:
            return False
        if self.msgid_plural:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


def _unquote(text: str) -> str:
    # A .po string literal uses C escapes, which Python's string literal syntax also reads.
    return ast.literal_eval(text)


def parse(path: Path | str) -> list[Entry]:
    """Entries of a .po file, header excluded, obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()
    refs: list[str] = []

    def finish():
        nonlocal current
        if current is not None and current.msgid:
            entries.append(current)
        current = None

    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#:"):
            finish()
            refs += line[2:].split()
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = _unquote(line)
            name, index = target
            if name == "msgstr_plural":
                current.msgstr_plural[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        if keyword in ("msgctxt", "msgid") and (
            current is None or keyword == "msgctxt" or current.msgid or current.msgctxt is None
        ):
            if keyword == "msgctxt" or current is None or current.msgid or current.msgstr:
                finish()
                current = Entry(msgid="", flags=flags, references=refs)
                flags, refs = set(), []
        if keyword == "msgctxt":
            current.msgctxt = _unquote(rest)
            target = ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid = _unquote(rest)
            target = ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest)
            target = ("msgid_plural", None)
        elif keyword == "msgstr":
            current.msgstr = _unquote(rest)
            target = ("msgstr", None)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            current.msgstr_plural[index] = _unquote(rest)
            target = ("msgstr_plural", index)
    finish()
    return entries


def quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'
