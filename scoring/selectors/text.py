"""Facts about a page's text the counting rules need: its plain text, whether its body is
empty, its fingerprint, and which page holding credit has the same one.
"""

from __future__ import annotations

import functools
import hashlib
import html
import unicodedata
from typing import Any

from django.db.models import Sum
from django.utils.html import strip_tags

from scoring.models import (
    ContentKind,
    CreditEvent,
    PublicationCheck,
)


def _strings(value: Any) -> list[str]:
    """Every text inside a StreamField's raw JSON, without block types and ids."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        out: list[str] = []
        for key, item in value.items():
            if key not in ("type", "id"):
                out.extend(_strings(item))
        return out
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            out.extend(_strings(item))
        return out
    return []


# Characters that render as nothing (Unicode "format" characters: zero-width space, joiner and
# non-joiner, word joiner, byte-order mark, soft hyphen, bidi controls...) plus variation
# selectors and the combining grapheme joiner: inserting them changes the bytes, not the text.
_INVISIBLE_EXTRA = {0x034F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
# Scripts left as they are: Vietnamese is Latin (its diacritics are kept: "Trường" and
# "Truong" are different texts); digits and punctuation are Common; combining marks Inherited.
_KEPT_SCRIPTS = {"LATIN", "COMMON", "INHERITED"}
_SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "


@functools.cache
def _lookalike_table() -> dict[int, str]:
    """Letters of other scripts that look like a Latin letter, mapped to that letter.

    Built once from the Unicode confusables data shipped in `confusable_homoglyphs` (no
    download): Cyrillic "а" (U+0430) becomes "a", Greek "ο" becomes "o". Only letters of other
    scripts are folded, so Latin letters, with or without diacritics, are never changed."""
    from confusable_homoglyphs.categories import alias
    from confusable_homoglyphs.confusables import confusables_data

    table: dict[int, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or not char.isalpha() or alias(char) in _KEPT_SCRIPTS:
            continue
        latin = sorted(h["c"] for h in homoglyphs if len(h["c"]) == 1 and alias(h["c"]) == "LATIN")
        if not latin:
            continue
        target = next((c for c in latin if c.isascii()), latin[0])
        name = unicodedata.name(target, "")
        if name.startswith(_SMALL_CAPITAL) and len(name) == len(_SMALL_CAPITAL) + 1:
            # Cyrillic "н" looks like a small capital H: fold it to "h", as "Н" folds to "H",
            # so that case folding afterwards treats both cases alike.
            target = name[-1].lower()
        elif target == "l" and char.isupper():
            # Unicode's prototype for "I"-like capitals (Greek Iota, Cyrillic "І") is "l";
            # Latin "I" is not folded here, so these must become "I" to match it.
            target = "I"
        table[ord(char)] = target
    return table


def normalise_text(text: str) -> str:
    """Text as duplicate detection compares it: markup already removed by the caller; NFKC
    (full-width and styled letters become plain ones), invisible characters removed, look-alike
    letters of other scripts folded to Latin, case folded, whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        c for c in text if unicodedata.category(c) != "Cf" and ord(c) not in _INVISIBLE_EXTRA
    )
    # Decomposed, so that a look-alike base letter with a combining accent folds too.
    text = unicodedata.normalize("NFD", text).translate(_lookalike_table())
    text = unicodedata.normalize("NFC", text).casefold()
    return "".join(text.split())


def _text_parts(page) -> tuple[list[str], list[str]]:
    """The page's own words, and tokens for the images that are part of its body."""
    parts: list[str] = []
    media: list[str] = []
    body = getattr(page, "body", None)
    if body is not None:
        parts.extend(_strings(list(body.raw_data)))
    if hasattr(page, "summary"):
        parts.extend([page.number or "", page.summary or ""])
    if page.content_kind == ContentKind.GALLERY:
        parts.append(page.intro or "")
        for caption, image_id in page.images.values_list("caption", "image_id"):
            parts.append(caption)
            media.append(f"#{image_id}")
    return parts, media


def _plain(parts: list[str]) -> str:
    # Markup first, then entities: "&shy;" and "&#8203;" become the characters removed later.
    return normalise_text(html.unescape(strip_tags(" ".join(parts))))


def credit_text(page) -> str:
    """The page's body text as duplicate detection compares it (see normalise_text). News and
    lectures: the body; documents: number and summary; galleries: the intro, captions and the
    images themselves (a copied album has the same image ids)."""
    parts, media = _text_parts(page)
    return _plain(parts) + "".join(media)


def readable_text(page) -> str:
    """The same words as `credit_text`, as a person reads them (markup removed, case and
    letters kept), for the board's side-by-side view of a duplicate."""
    parts, _media = _text_parts(page)
    return " ".join(html.unescape(strip_tags(" ".join(parts))).split())


def body_is_empty(page, *, min_chars: int) -> bool:
    """Whether the page has (next to) no body: fewer than `min_chars` characters of text once
    markup and whitespace are removed, and no image or attached file that would be its body."""
    if min_chars <= 0:
        return False
    parts, media = _text_parts(page)
    if media:
        return False
    if len(_plain(parts)) >= min_chars:
        return False
    attachments = getattr(page, "attachments", None)
    return not (attachments is not None and attachments.exists())


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest() if text else ""


def credited_duplicate_of(*, text_hash: str, exclude_page_id: int) -> int | None:
    """Id of a page that holds credit now and has the same normalised body text, if any."""
    if not text_hash:
        return None
    same_text = PublicationCheck.objects.filter(
        text_hash=text_hash, outcome=PublicationCheck.Outcome.EARNED
    ).exclude(page_id=exclude_page_id)
    holding = (
        CreditEvent.objects.filter(page_id__in=same_text.values("page_id"))
        .values("page_id")
        .annotate(n=Sum("pages"))
        .filter(n__gt=0)
        .order_by("page_id")
        .first()
    )
    return holding["page_id"] if holding else None
