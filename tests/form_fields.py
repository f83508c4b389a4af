"""The named fields of the page editor's form, as a browser would submit them (unchanged).

Shared by the editor's query-count test and `benchmarks/admin_speed.py`, which both POST the
editor's own form back ("Gửi duyệt") instead of writing its fields down by hand.

A StreamField has no inputs in the HTML: Wagtail's JavaScript builds them from the JSON on its
`<div data-controller="w-block" id="<name>">`. This parser sends such a field as an empty
stream (`<name>-count=0`), so use it only on posts whose body is empty (the tests' drafts).
"""

from __future__ import annotations

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The named fields of the page editor's form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen: str | None = None
        self._first: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "div" and a.get("data-controller") == "w-block" and a.get("id"):
            self.fields.append((f"{a['id']}-count", "0"))
        elif tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select, self._chosen, self._first = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first is None:
                self._first = value
            if "selected" in a:
                self._chosen = value

    def handle_data(self, data):
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append((self._select, self._chosen or ""))
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
