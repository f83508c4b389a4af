"""Template helpers for the project's overrides of Wagtail's page listing."""

from django import template

from home.text import display_name

register = template.Library()


@register.filter
def listing_opens_children(page) -> bool:
    """Whether the page listing should open this page's children rather than its edit form.

    A page type says so with `admin_listing_opens_children = True` (the sections holding posts:
    a writer clicking "Tin tức" wants its posts, not the section's intro text). Read from the
    class the content type names: no query, and safe on a plain `Page`.
    """
    return bool(getattr(page.specific_class, "admin_listing_opens_children", False))


@register.filter
def person_name(user) -> str:
    """A person as Vietnamese lists write them ("Nguyễn Thị Mai"); see home.text.display_name."""
    return display_name(user) if user is not None else ""
