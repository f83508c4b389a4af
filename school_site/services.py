"""Business rules of a school site, called by models, forms, hooks and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from school_site.models import ContentPage


def validate_credit_fields(page: ContentPage) -> None:
    """The credited group must belong to the page's school and count the author as a member."""
    group = page.contributor_group
    if group is None:
        return
    errors = {}
    # A page not yet in the tree has no path, so no school: the editor form checks it
    # against the parent page's school instead (school_site.forms.ContentPageForm).
    school = page.get_school() if page.path else None
    if page.path and (school is None or group.school_id != school.pk):
        errors["contributor_group"] = "Tổ chức này không thuộc trường của bài viết."
    elif page.author_id is None:
        errors["contributor_group"] = "Cần chọn tác giả trước khi ghi công cho tổ chức."
    elif not group.members.filter(pk=page.author_id).exists():
        errors["contributor_group"] = "Tác giả không phải là thành viên của tổ chức này."
    if errors:
        raise ValidationError(errors)
