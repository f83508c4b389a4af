"""The district admin's school CSV upload screen and its template download.

The work is done by `district_site.school_csv` (every row checked first, then all schools in
one transaction); this view translates between HTTP and it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import re_path
from django.views.generic.edit import FormView
from wagtail.admin import messages
from wagtail_modeladmin.views import WMABaseView

from district_site.admin_views import TEMPLATE_DIR
from district_site.forms import SchoolCsvForm
from district_site.models import School
from district_site.school_csv import (
    TEMPLATE_HEADER,
    TEMPLATE_ROW,
    provision_from_csv,
    validate_csv,
)
from home.csv_upload import csv_template_response


class SchoolCsvUploadView(WMABaseView, FormView):
    """Create many schools from one file: every row is checked first; one bad row, none made."""

    form_class = SchoolCsvForm
    template_name = f"{TEMPLATE_DIR}/school_csv.html"
    page_title = "Nhập trường từ tệp CSV"

    def check_action_permitted(self, user) -> bool:
        return self.permission_helper.user_can_create(user)

    def form_valid(self, form):
        text = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        if dry_run:
            validation, results = validate_csv(text), []
        else:
            validation, results = provision_from_csv(text)
        if validation.errors:
            messages.error(
                self.request,
                f"Tệp có {len(validation.errors)} dòng lỗi; chưa tạo trường nào.",
            )
        elif dry_run:
            messages.success(
                self.request,
                f"Tệp hợp lệ: {len(validation.specs)} trường sẽ được tạo. Chưa tạo trường nào.",
            )
        else:
            created = sum(1 for r in results if r.created)
            messages.success(self.request, f"Đã tạo {created} trường từ tệp.")
        return self.render_to_response(
            self.get_context_data(
                form=form,
                dry_run=dry_run,
                row_errors=validation.errors,
                specs=[
                    {
                        "name": s.name,
                        "kind_label": School.Kind(s.kind).label,
                        "hostname": s.hostname,
                    }
                    for s in validation.specs
                ]
                if dry_run and not validation.errors
                else [],
                results=results,
            )
        )


def school_csv_urls(model_admin) -> tuple:
    """The CSV upload and its template, as URLs of the school registry."""
    url_helper = model_admin.url_helper

    def csv_view(request):
        return SchoolCsvUploadView.as_view(model_admin=model_admin)(request)

    def csv_template_view(request):
        if not model_admin.permission_helper.user_can_create(request.user):
            raise PermissionDenied
        return csv_template_response("mau-danh-sach-truong.csv", TEMPLATE_HEADER, [TEMPLATE_ROW])

    return (
        re_path(
            rf"^{url_helper.base_url_path}/csv/$",
            csv_view,
            name=url_helper.get_action_url_name("csv"),
        ),
        re_path(
            rf"^{url_helper.base_url_path}/csv/mau/$",
            csv_template_view,
            name=url_helper.get_action_url_name("csv_template"),
        ),
    )
