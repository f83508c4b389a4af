"""Vietnamese CSV columns and kind names (district_site/school_csv.py, issue 11), and the
downloadable templates of both upload screens (UTF-8 with a byte-order mark for Excel)."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.school_csv import provision_from_csv, validate_csv
from school_site import people

pytestmark = pytest.mark.django_db

HOST = "localhost"


def test_vietnamese_headers_and_kinds_create_the_schools(two_schools):
    text = (
        "ten_truong,cap_hoc,ten_mien,dia_chi,ma_truong,hieu_truong,email_hieu_truong\n"
        "Trường Mầm non Sen,mam_non,mn-sen.localhost,Xã Sen,MN01,Lê Thị Hoa,hoa@example.vn\n"
        "Trường Tiểu học Đông,tieu_hoc,th-dong.localhost,,,,\n"
        "Trường THCS Tây,THCS,thcs-tay.localhost,,,,\n"
        "Trường Liên cấp Nam,lien_cap,lc-nam.localhost,,,,\n"
    )
    validation, results = provision_from_csv(text)
    assert validation.errors == [] and all(r.created for r in results)
    kinds = dict(School.objects.values_list("site__hostname", "kind"))
    assert kinds["mn-sen.localhost"] == School.Kind.PRESCHOOL
    assert kinds["th-dong.localhost"] == School.Kind.PRIMARY
    assert kinds["thcs-tay.localhost"] == School.Kind.LOWER_SECONDARY
    assert kinds["lc-nam.localhost"] == School.Kind.COMBINED
    sen = School.objects.get(site__hostname="mn-sen.localhost")
    assert (sen.address, sen.short_code, sen.principal.email) == (
        "Xã Sen",
        "MN01",
        "hoa@example.vn",
    )


def test_english_headers_and_codes_still_work(two_schools):
    validation = validate_csv("name,kind,hostname\nTrường Mới,preschool,moi.localhost\n")
    assert validation.errors == [] and validation.specs[0].kind == School.Kind.PRESCHOOL


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("ten_truong,cap_hoc\nA,mam_non\n", (1, "Thiếu cột: ten_mien (hoặc hostname).")),
        ("ten_truong,name,cap_hoc,ten_mien\n", (1, "Cột “name” bị lặp.")),
        ("ten_truong,cap,ten_mien\n", (1, "Cột “cap” không hợp lệ.")),
        (
            "ten_truong,cap_hoc,ten_mien\nA,nha_tre,a.localhost\n",
            (
                2,
                "Cấp học “nha_tre” không hợp lệ; chọn một trong: mam_non, tieu_hoc, thcs, "
                "lien_cap (hoặc preschool, primary, lower_secondary, combined).",
            ),
        ),
    ],
)
def test_bad_files_say_what_is_wrong(two_schools, text, error):
    errors = validate_csv(text).errors
    assert (errors[0].line, errors[0].message) == error


def read_template(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())  # Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_school_template_is_for_district_admins(client, school_a, school_b):
    address = reverse("district_site_school_modeladmin_csv_template")
    admin = UserFactory(username="pgd_admin")
    admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    client.force_login(admin)
    rows = read_template(client.get(address, HTTP_HOST=HOST))
    assert rows[0] == [
        "ten_truong",
        "cap_hoc",
        "ten_mien",
        "dia_chi",
        "hieu_truong",
        "email_hieu_truong",
    ]
    assert rows[1][1] == "mam_non" and rows[1][4] == "Nguyễn Thị Mai"
    upload = reverse("district_site_school_modeladmin_csv")
    assert address in client.get(upload, HTTP_HOST=HOST).content.decode()
    client.force_login(make_member(school_a, "board_a", board=True))
    refused = client.get(address, HTTP_HOST=HOST)
    assert refused.status_code in (302, 403) and b"ten_truong" not in refused.content


def test_staff_template_is_for_principals_and_reads_back(client, school_a, school_b):
    address = reverse("school_people:import_template")
    principal = make_member(school_a, "ht_a", board=True)
    School.objects.filter(pk=school_a.pk).update(principal=principal)
    client.force_login(principal)
    response = client.get(address, HTTP_HOST=HOST)
    rows = read_template(response)
    assert rows[0] == ["ho_ten", "email", "chuc_vu", "to_chuc"]
    parsed, errors = people.parse_people_csv(text=response.content.decode("utf-8-sig"))
    assert errors == [] and parsed[0].full_name == "Nguyễn Thị Mai"
    assert parsed[0].group_names == ["Tổ Toán", "Công đoàn"]
    page = client.get(reverse("school_people:import", args=[school_a.pk]), HTTP_HOST=HOST)
    assert address in page.content.decode()
    client.force_login(make_member(school_b, "gv_b"))
    refused = client.get(address, HTTP_HOST=HOST)
    assert refused.status_code in (302, 403) and b"ho_ten" not in refused.content
