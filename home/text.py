"""Text helpers for Vietnamese: ASCII slugs and accent-free search keys."""

import re
import unicodedata

from anyascii import anyascii

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def vietnamese_slugify(text: str, max_length: int = 255) -> str:
    """ASCII slug from a Vietnamese title: "Tăng cường việc đăng tin" -> "tang-cuong-viec-dang-tin".

    Django's slugify drops "đ" (it has no Unicode decomposition) and Wagtail's cautious_slugify
    turns it into "u0111"; anyascii transliterates every Vietnamese letter, đ -> d included.
    """
    ascii_text = anyascii(text or "").lower()
    slug = _NON_SLUG.sub("-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-")


def strip_accents(text: str) -> str:
    """Lower-case, accent-free form used for accent-insensitive search ("Trường" -> "truong")."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


# Every Vietnamese letter that is not plain ASCII, lower and upper case.
VIETNAMESE_LETTERS = (
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)


def vietnamese_slug_formatters() -> list[tuple[str, str]]:
    """Regex replacements for the admin's slug widget, one character class per ASCII letter.

    Wagtail's browser-side "urlify" has no Vietnamese map: it turns "cường" into "cng" and
    "việc" into "vic". These formatters run before it, so the browser gives the same slug as
    `vietnamese_slugify` does on the server.
    """
    by_ascii: dict[str, str] = {}
    for letter in VIETNAMESE_LETTERS:
        by_ascii[anyascii(letter)] = by_ascii.get(anyascii(letter), "") + letter
    letters = [(f"[{letters}]", ascii_letter) for ascii_letter, letters in sorted(by_ascii.items())]
    # urlify deletes punctuation it does not know ("2026–2027" -> "20262027"), where the server
    # puts a hyphen: dashes, quotes and other punctuation become a hyphen first, as on the server.
    return letters + [(SLUG_PUNCTUATION, "-")]


# Punctuation and symbols between words (ASCII, dashes, curly quotes, ellipsis, guillemets).
# Valid both as a Python pattern and as a JavaScript "u" pattern (the widget ships it to JS),
# which allows no needless escapes: the quote is left bare.
SLUG_PUNCTUATION = (
    r"""[!"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~"""
    r"\u00ab\u00bb\u2010-\u2015\u2018-\u201f\u2026\u2212]"
)


# --- people's names --------------------------------------------------------------------------
# One convention, everywhere: a name is stored as written in two parts, the given name (the
# last word) in `first_name` and the family and middle names in `last_name`:
#   "Nguyễn Thị Mai" -> first_name "Mai", last_name "Nguyễn Thị".
# It is shown family name first (`display_name`) and sorted by given name, then family name
# (`NAME_ORDERING`), as Vietnamese staff lists are. Django's own `get_full_name()` reads
# "first last" (Western order); `vietnamese_full_name` below replaces it on the user model (see
# `use_vietnamese_full_name`), so Wagtail's own screens show the Vietnamese order too.

NAME_ORDERING = ("first_name", "last_name", "username")


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị Hoa") -> (first_name "Hoa", last_name "Nguyễn Thị"): the given name is last."""
    words = (full_name or "").split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def join_name(first_name: str | None, last_name: str | None) -> str:
    """The full name as written from the two stored parts (for rows read with `.values()`)."""
    return " ".join(n for n in (last_name, first_name) if n)


def display_name(user) -> str:
    """Vietnamese order: family and middle names, then the given name ("Nguyễn Thị Hoa").

    A user with neither part is named by their username.
    """
    return join_name(user.first_name, user.last_name) or user.get_username()


def user_label(user) -> str:
    """How a choice list names a user: "full name (username)", or the username alone."""
    full_name = join_name(user.first_name, user.last_name)
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


def person_search_key(first_name: str, last_name: str, username: str, email: str) -> str:
    """What a people search matches, accent-free: "Nguyễn Thị Đào dao.nguyen dao@…" ->
    "nguyen thi dao dao.nguyen dao@…". The full name is in its shown order, so a search for
    "thi dao" finds her as people type it."""
    return strip_accents(
        " ".join(p for p in (join_name(first_name, last_name), username, email) if p)
    )


def search_words(query: str, *, max_length: int = 100) -> list[str]:
    """The accent-free words of a search box, for matching against `person_search_key`."""
    return strip_accents((query or "")[:max_length]).split()


def vietnamese_full_name(user) -> str:
    """`get_full_name()` in Vietnamese order ("Nguyễn Thị Mai"); empty when both parts are."""
    return join_name(user.first_name, user.last_name)


def use_vietnamese_full_name(user_model) -> None:
    """Make `user_model.get_full_name()` answer in Vietnamese order.

    Wagtail names a user through `user.get_full_name()` everywhere (its
    `get_user_display_name`, the listings' user columns, the audit log's `user_display_name`,
    revisions, workflow history, comments), with no setting or hook to change it. Its documented
    way is a custom user model overriding `get_full_name`; this install uses Django's stock
    `auth.User` and swapping the user model of a live database is not supported by Django. So
    the one method is replaced on the model class, once, at start-up (`HomeConfig.ready`): a
    patch, kept to this single documented method, that a custom user model would make moot.
    """
    user_model.get_full_name = vietnamese_full_name
