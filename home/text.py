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
