"""The admin form of the branding setting: refuses a primary colour that white text cannot be
read on (see home/colours.py), explaining why in Vietnamese and proposing a shade that works."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from home.colours import AA_TEXT, PAGE_BG, contrast_ratio, parse_hex, passes, readable_on_white


class BrandingForm(WagtailAdminModelForm):
    def clean_primary_colour(self) -> str:
        value = (self.cleaned_data.get("primary_colour") or "").strip().lower()
        if parse_hex(value) is None:
            raise forms.ValidationError("Mã màu phải có dạng #rrggbb, ví dụ #0b5394.")
        if not passes(value):
            # The lower of its ratios against white and the light page background.
            ratio = contrast_ratio(value, PAGE_BG)
            raise forms.ValidationError(
                f"Màu {value} quá nhạt: độ tương phản với nền sáng của trang chỉ đạt {ratio:.1f}:1, "
                f"cần tối thiểu {AA_TEXT}:1 (chuẩn WCAG AA) để chữ trên menu, nút và liên kết "
                f"đọc được, nhất là trên điện thoại ngoài trời. Hãy chọn màu đậm hơn, "
                f"ví dụ {readable_on_white(value)}."
            )
        return value

    def clean_accent_colour(self) -> str:
        value = (self.cleaned_data.get("accent_colour") or "").strip().lower()
        if parse_hex(value) is None:
            raise forms.ValidationError("Mã màu phải có dạng #rrggbb, ví dụ #e69138.")
        # Only borders and lines use it (never text), so any colour is allowed.
        return value
