"""The honour-board opt-out in a person's own account settings (Wagtail's "Tài khoản" screen).

Wagtail's account view builds one form per registered panel with `instance=<the user>` and
calls `save()` on each inside its own transaction; the form here is a plain form that accepts
that `instance` and writes through the people service, so the user can only ever change their
own choice (the view always passes `request.user`).
"""

from __future__ import annotations

from django import forms
from wagtail.admin.views.account import BaseSettingsPanel

from district_site.roles import roles_for
from school_site import people


class HonourOptOutForm(forms.Form):
    hide_on_honour_board = forms.BooleanField(
        label="Không hiện tên trên bảng vinh danh",
        required=False,
        help_text="Tên của bạn không hiện trên trang vinh danh công khai của trường và Phòng "
        "GD&ĐT; điểm thi đua vẫn được tính.",
    )

    def __init__(self, *args, instance, **kwargs):
        self.user = instance
        kwargs.setdefault(
            "initial", {"hide_on_honour_board": people.own_honour_opt_out(user=instance)}
        )
        super().__init__(*args, **kwargs)

    def save(self) -> None:
        people.set_own_honour_opt_out(
            user=self.user, hide=self.cleaned_data["hide_on_honour_board"]
        )


class HonourOptOutPanel(BaseSettingsPanel):
    name = "honour_board"
    title = "Bảng vinh danh"
    order = 150
    form_class = HonourOptOutForm

    def is_active(self) -> bool:
        # Only a school's people are named on an honour board.
        return bool(roles_for(self.user).memberships)
