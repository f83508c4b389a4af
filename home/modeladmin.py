"""The wagtail-modeladmin pieces every registry screen shares: Vietnamese buttons and filters.

Kept in one small module (DESIGN.md, decision 7) so a later move to Wagtail's `ModelViewSet`
changes one place; each app's `admin_views` names its own labels.
"""

from __future__ import annotations

from django.contrib.admin.filters import ChoicesFieldListFilter
from wagtail_modeladmin.helpers import ButtonHelper


class ChoicesFilter(ChoicesFieldListFilter):
    """A choices filter whose heading is Vietnamese (modeladmin's own template is not)."""

    template = "district_site/admin/list_filter.html"


class VietnameseButtonHelper(ButtonHelper):
    """modeladmin's add, inspect, edit and delete buttons, with each screen's Vietnamese words.

    `labels` maps a button ("add", "inspect", "edit", "delete") to its (label, title); a button
    not named keeps modeladmin's words.
    """

    labels: dict[str, tuple[str, str]] = {}

    def _in_vietnamese(self, name: str, button: dict) -> dict:
        if name in self.labels:
            label, title = self.labels[name]
            button.update(label=label, title=title)
        return button

    def add_button(self, classnames_add=None, classnames_exclude=None):
        button = super().add_button(classnames_add, classnames_exclude)
        return self._in_vietnamese("add", button)

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        return self._in_vietnamese("inspect", button)

    def edit_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().edit_button(pk, classnames_add, classnames_exclude)
        return self._in_vietnamese("edit", button)

    def delete_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().delete_button(pk, classnames_add, classnames_exclude)
        return self._in_vietnamese("delete", button)
