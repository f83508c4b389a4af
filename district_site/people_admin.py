""" "Người dùng các trường": the district admin's people screen across every school.

Searched like the principal's listing (accent-insensitive, `school_site.people.matching`),
filterable by school, 50 to a page. Only district admins (and superusers) get in: the rows name
every school's people and e-mails. Queries per page do not grow with the number of schools or
people: the page of users, its count, and the schools of the people on it (one query).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.admin.menu import MenuItem

from district_site.models import School
from district_site.selectors import is_district_admin
from home.text import display_name
from school_site import people

MENU_LABEL = "Người dùng các trường"
PER_PAGE = 50


class DistrictPeopleMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return is_district_admin(request.user)


class DistrictPeopleFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên, tên đăng nhập, email", required=False, max_length=100)
    truong = forms.ModelChoiceField(
        label="Trường",
        queryset=School.objects.order_by("name"),
        required=False,
        empty_label="Tất cả các trường",
    )

    def filters(self) -> dict:
        self.is_valid()  # an invalid field is left out of cleaned_data, the others still apply
        school = self.cleaned_data.get("truong")
        return {"query": self.cleaned_data.get("q", ""), "school_id": school.pk if school else None}


def district_people_view(request):
    if not is_district_admin(request.user):
        raise PermissionDenied
    filter_form = DistrictPeopleFilterForm(request.GET)
    filters = filter_form.filters()
    page = Paginator(people.district_people(**filters), PER_PAGE).get_page(request.GET.get("p"))
    persons = list(page.object_list)
    schools = people.schools_by_person([p.pk for p in persons])
    for person in persons:
        person.display_name = display_name(person)
        person.schools = schools.get(person.pk, [])
    return TemplateResponse(
        request,
        "district_site/admin/people.html",
        {
            "page_title": MENU_LABEL,
            "filter_form": filter_form,
            "filtered": any(v not in (None, "") for v in filters.values()),
            "page": page,
            "persons": persons,
            "role_board": people.ROLE_BOARD,
            "role_staff": people.ROLE_STAFF,
        },
    )
