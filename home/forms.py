"""The page editor form every page type starts from."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from home.files import refuse_in_form, remap_unknown_fields


class BasePageForm(WagtailAdminPageForm):
    """Refuses images and documents the page may not use, on the field that holds them.

    The page model's clean() already checks its own fields once the page is in the tree. The
    form adds what the model cannot see while the editor validates: a new page has no tree
    path yet (its parent's is used), and inline rows (gallery photos, attachments, staff
    photos) are separate forms whose rows are not attached to the page until it is saved.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not hasattr(self, "cleaned_data"):
            return valid
        page = self.instance
        parent_path = self.parent_page.path if self.parent_page is not None else ""
        # Own fields of a page in the tree were checked by its clean(); a new one's are not.
        refused = refuse_in_form(self, page.path or parent_path, own_fields=not page.path)
        return valid and not refused

    def _update_errors(self, errors):
        super()._update_errors(remap_unknown_fields(self, errors))
