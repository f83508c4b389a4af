"""Folding Vietnamese text for Wagtail's search index, and highlighting matches in snippets.

Why fold in Python, on both databases, before the text reaches the index:
- SQLite's FTS5 `unicode61` tokenizer removes diacritics but keeps "đ" (a letter of its own,
  with no Unicode decomposition), so "doi" would not find "Đội".
- PostgreSQL's text-search parser reads "531/PGDĐT-VP" as one `file` token ("531/pgd") and a
  hyphenated word, so a document number could not be found by its parts.
So every `SearchField` value of our pages is indexed as its accent-free, lower-case words
separated by spaces (`fold_text`), and the query is folded the same way (`search_words`).
PostgreSQL's `vietnamese_unaccent` configuration (home/migrations/0004) still applies
`unaccent` to whatever reaches it, so an unfolded query (the admin's search box) matches too.
Autocomplete fields are left as they are: Wagtail's admin autocomplete uses the `simple`
configuration and compares them with what the editor types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db.models import F
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.search import index
from wagtail.search.query import PlainText

from home.text import strip_accents

# A word is a run of letters and digits; "_" counts as a separator, like punctuation.
_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The accent-free, lower-case words of `text`: "Số 531/PGDĐT-VP" -> ["so", "531", "pgddt", "vp"]."""
    return _WORD.findall(strip_accents(text or ""))


def fold_text(text: str) -> str:
    return " ".join(search_words(text))


def _fold_value(value):
    # Values as modelsearch's indexers accept them: text, lists (StreamField content), dicts.
    if value is None:
        return None
    if isinstance(value, list):
        return [_fold_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _fold_value(item) for key, item in value.items()}
    return fold_text(force_str(value))


class FoldedSearchField(index.SearchField):
    """A SearchField whose indexed text is folded; same name, boost and options as the original."""

    def get_value(self, obj):
        return _fold_value(super().get_value(obj))


def fold_search_fields(fields: Iterable) -> list:
    """`fields` with every plain SearchField replaced by its folded twin (others unchanged)."""
    return [
        FoldedSearchField(field.field_name, boost=field.boost, **field.kwargs)
        if type(field) is index.SearchField
        else field
        for field in fields
    ]


def fold_query(query):
    """A plain-text search query with its words folded like the index; other queries unchanged."""
    if isinstance(query, PlainText):
        folded = fold_text(query.query_string)
        if folded:
            return PlainText(folded, operator=query.operator)
    return query


# Pages have `first_published_at`; images and documents `created_at`.
RECENCY_FIELDS = ("first_published_at", "created_at")


def recency_ordering(model) -> list:
    """The newest first, then the highest id: the tie-breaker between equally relevant results."""
    names = {field.name for field in model._meta.get_fields()}
    ordering = [F(name).desc(nulls_last=True) for name in RECENCY_FIELDS if name in names]
    return [*ordering, "-pk"]


def _matches(word: str, words: Sequence[str], prefix: str | None) -> bool:
    folded = strip_accents(word)
    return folded in words or (prefix is not None and folded.startswith(prefix))


def highlight_snippet(text: str, words: Sequence[str], *, max_words: int = 40) -> SafeString:
    """Up to `max_words` words of `text` around the first match, matches in <mark>, HTML escaped.

    `words` are folded query words; the last one also matches as a prefix, as in the search.
    Everything from `text` is escaped: only our own <mark> tags are markup.
    """
    text = " ".join((text or "").split())
    prefix = words[-1] if words else None
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return mark_safe(escape(text))
    first = next((i for i, t in enumerate(tokens) if _matches(t.group(), words, prefix)), 0)
    # Start a few words before the first match so it is read in context.
    start_index = max(0, min(first - 5, len(tokens) - max_words))
    stop_index = min(len(tokens), start_index + max_words)
    start = tokens[start_index].start() if start_index else 0
    stop = len(text) if stop_index == len(tokens) else tokens[stop_index - 1].end()
    parts = ["…"] if start_index else []
    position = start
    for token in tokens[start_index:stop_index]:
        parts.append(escape(text[position : token.start()]))
        if _matches(token.group(), words, prefix):
            parts.append(f"<mark>{escape(token.group())}</mark>")
        else:
            parts.append(escape(token.group()))
        position = token.end()
    parts.append(escape(text[position:stop]))
    if stop_index < len(tokens):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of `text` above is escaped
