"""Build and check the project's Vietnamese catalogues (locale/vi/LC_MESSAGES/*.po).

Why the project carries its own catalogues: Wagtail 8.0.1 ships a Vietnamese translation of
about 14% of its admin; Django reads catalogues in LOCALE_PATHS before the installed apps', so
every message translated here replaces (or fills in for) the packages' own Vietnamese.

    python locale/tools/vi_catalogue.py todo [--all]   # messages still English, TSV to stdout
    python locale/tools/vi_catalogue.py merge FILE...  # add "msgid ⇒ msgstr" lines
    python locale/tools/vi_catalogue.py check          # placeholders, plural header, coverage
    python locale/tools/vi_catalogue.py stats

In a merge file "⇒" separates the English from the Vietnamese, \\n is a newline; a plural entry is keyed by its singular
msgid and takes one Vietnamese form (nplurals=1). A file named *.js.txt goes to djangojs.po.
Run from the project root; compile with `manage.py compilemessages -l vi --ignore=.venv`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.i18n.po import Entry, parse, quote  # noqa: E402

SITE_PACKAGES = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
OUT_DIR = ROOT / "locale" / "vi" / "LC_MESSAGES"

# The installed catalogues whose messages can reach the admin screens of this project, in the
# order their entries are written. (forms, locales, search_promotions, simple_translation,
# styleguide and typed_table_block are not installed.)
SOURCES = {
    "django": [
        "wagtail/admin",
        "wagtail",
        "wagtail/images",
        "wagtail/documents",
        "wagtail/users",
        "wagtail/snippets",
        "wagtail/sites",
        "wagtail/embeds",
        "wagtail/search",
        "wagtail/contrib/settings",
        "wagtail/contrib/table_block",
        "wagtail/contrib/redirects",
        "wagtail_modeladmin",
        "django/conf",
        "django/contrib/auth",
    ],
    "djangojs": ["wagtail/admin"],
}

HEADER = """# Vietnamese messages of Wagtail 8.0.1 and Django 5.2 for the district school portal.
# Written for this project; see locale/tools/vi_catalogue.py and ../shared/seed/TRANSLATION.md.
msgid ""
msgstr ""
"Project-Id-Version: district-school-portal\\n"
"Language: vi\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"""

# Written the same in Vietnamese; any other message whose "translation" is the English text is
# treated as untranslated.
SAME_IN_VIETNAMESE = {
    "Email",
    "URL",
    "ID",
    "OK",
    "CSV",
    "XLSX",
    "PDF",
    "Logo",
    "Video",
    "IPv4",
    "IPv6",
}

PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-zA-Z_][a-zA-Z0-9_]*\}|\{\}")


def catalogue(app: str, lang: str, domain: str) -> Path:
    return SITE_PACKAGES / app / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"


def templates(domain: str) -> dict[tuple, tuple[Entry, str]]:
    """Every English message of the sources, first source wins: key -> (entry, app)."""
    found: dict[tuple, tuple[Entry, str]] = {}
    for app in SOURCES[domain]:
        path = catalogue(app, "en", domain)
        if path.exists():
            for entry in parse(path):
                found.setdefault(entry.key, (entry, app))
    return found


def installed_vi(domain: str) -> dict[tuple, str]:
    """The packages' own Vietnamese, as a starting point (reviewed and overridden by merge)."""
    found: dict[tuple, str] = {}
    for app in SOURCES[domain]:
        path = catalogue(app, "vi", domain)
        if path.exists():
            for entry in parse(path):
                if entry.translated:
                    text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
                    # Django's own vi leaves some words English ("File" = "File"): not done.
                    if text != entry.msgid or text in SAME_IN_VIETNAMESE:
                        found.setdefault(entry.key, text)
    return found


def project(domain: str) -> dict[tuple, str]:
    path = OUT_DIR / f"{domain}.po"
    if not path.exists():
        return {}
    return {
        e.key: (e.msgstr_plural.get(0, "") if e.msgid_plural else e.msgstr)
        for e in parse(path)
        if e.translated
    }


def write(domain: str, translations: dict[tuple, str]) -> None:
    tmpl = templates(domain)
    lines = [HEADER]
    for key, (entry, app) in tmpl.items():
        text = translations.get(key)
        if not text:
            continue
        lines.append(f"#. {app}")
        if entry.msgctxt is not None:
            lines.append(f"msgctxt {quote(entry.msgctxt)}")
        lines.append(f"msgid {quote(entry.msgid)}")
        if entry.msgid_plural:
            lines.append(f"msgid_plural {quote(entry.msgid_plural)}")
            lines.append(f"msgstr[0] {quote(text)}")
        else:
            lines.append(f"msgstr {quote(text)}")
        lines.append("")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / f"{domain}.po").write_text("\n".join(lines), encoding="utf-8")


def unescape(field: str) -> str:
    return field.replace("\\n", "\n")


def escape(text: str) -> str:
    return text.replace("\n", "\\n").replace("\t", "\\t")


def merge(files: list[str]) -> None:
    for domain in SOURCES:
        tmpl = templates(domain)
        current = project(domain) or installed_vi(domain)
        by_msgid = {key[1]: key for key in tmpl}
        changed = False
        for name in files:
            if name.endswith(".js.txt") != (domain == "djangojs"):
                continue
            changed = True
            for number, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip() or line.startswith("#"):
                    continue
                msgid, sep, msgstr = line.partition(" ⇒ ")
                key = by_msgid.get(unescape(msgid))
                if not sep or key is None:
                    print(f"{name}:{number}: unknown message {msgid!r}", file=sys.stderr)
                    continue
                current[key] = unescape(msgstr)
        if changed or not (OUT_DIR / f"{domain}.po").exists():
            write(domain, current)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def check() -> int:
    problems = 0
    for domain in SOURCES:
        tmpl = templates(domain)
        for key, text in project(domain).items():
            entry, app = tmpl[key]
            expected = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            got = set(placeholders(text))
            # A plural's one Vietnamese form may leave out a count the singular spells as "1".
            if got != expected and not (entry.msgid_plural and got <= expected):
                problems += 1
                print(
                    f"{domain}: placeholders {sorted(got)} != {sorted(expected)}: {entry.msgid!r}"
                )
    return problems


def stats() -> None:
    for domain in SOURCES:
        tmpl = templates(domain)
        ours = project(domain)
        theirs = installed_vi(domain)
        per_app: dict[str, list[int]] = {}
        for key, (_entry, app) in tmpl.items():
            row = per_app.setdefault(app, [0, 0, 0])
            row[0] += 1
            row[1] += key in theirs
            row[2] += key in ours or key in theirs
        for app, (total, before, after) in per_app.items():
            print(f"{domain:9} {app:32} {total:5} messages  installed vi {before:4}  now {after:4}")


def todo(show_all: bool) -> None:
    for domain in SOURCES:
        ours = project(domain)
        theirs = installed_vi(domain)
        for key, (entry, app) in templates(domain).items():
            done = key in ours or (key in theirs and not show_all)
            english = ours.get(key, theirs.get(key)) == entry.msgid
            if done and not (english and entry.msgid not in SAME_IN_VIETNAMESE):
                continue
            plural = f"\t[plural: {escape(entry.msgid_plural)}]" if entry.msgid_plural else ""
            print(f"{domain}\t{app}\t{escape(entry.msgid)}{plural}")


if __name__ == "__main__":
    command, *args = sys.argv[1:] or ["stats"]
    if command == "merge":
        merge(args)
    elif command == "check":
        sys.exit(1 if check() else 0)
    elif command == "todo":
        todo("--all" in args)
    else:
        stats()
