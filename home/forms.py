"""The page editor form every page type starts from."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from home.files import add_errors_to_form, refused_files, remap_unknown_fields


class BasePageForm(WagtailAdminPageForm):
    """Refuses images and documents the page may not use, on the field that holds them.

    The page model's clean() already checks its own fields once the page is in the tree. The
    form adds what the model cannot see while the editor validates: a new page has no tree
    path yet (its parent's is used), and inline rows (gallery photos, attachments, staff
    photos) are separate forms whose rows are not attached to the page until it is saved.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        page = self.instance
        tree_path = page.path or (self.parent_page.path if self.parent_page is not None else "")
        refused = False
        if not page.path and hasattr(self, "cleaned_data"):
            errors = refused_files(page, tree_path)
            add_errors_to_form(self, errors)
            refused |= bool(errors)
        for name, formset in self.formsets.items():
            if name == "comments":
                continue
            for form in formset.forms:
                if not hasattr(form, "cleaned_data") or formset._should_delete_form(form):
                    continue
                errors = refused_files(form.instance, tree_path)
                add_errors_to_form(form, errors)
                refused |= bool(errors)
        return valid and not refused

    def _update_errors(self, errors):
        super()._update_errors(remap_unknown_fields(self, errors))
