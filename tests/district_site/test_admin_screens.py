"""The district admins' school registry screens (wagtail-modeladmin, district_site/wagtail_hooks.py)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection, Page, Site

from district_site.factories import UserFactory, make_member, make_school
from district_site.models import DISTRICT_ADMINS_GROUP, School

pytestmark = pytest.mark.django_db

HOST = "localhost"
BASE = "/admin/district_site/school/"
INDEX = BASE
CREATE = BASE + "create/"
CSV = BASE + "csv/"


def edit_url(school):
    return f"{BASE}edit/{school.pk}/"


def inspect_url(school):
    return f"{BASE}inspect/{school.pk}/"


def archive_url(school):
    return f"{BASE}archive/{school.pk}/"


def restore_url(school):
    return f"{BASE}restore/{school.pk}/"


def delete_url(school):
    return f"{BASE}delete/{school.pk}/"


@pytest.fixture
def district_admin(db):
    user = UserFactory(username="pgd_admin")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


@pytest.fixture
def admin_client(client, district_admin):
    client.force_login(district_admin)
    return client


def get(client, url, **params):
    return client.get(url, params, HTTP_HOST=HOST)


def post(client, url, data=None):
    return client.post(url, data or {}, HTTP_HOST=HOST)


def messages_of(response) -> list[str]:
    # Wagtail renders message buttons after the text; keep the text.
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


def listed_names(response) -> set[str]:
    return {school.name for school in response.context["object_list"]}


def site_status(client, school) -> int:
    return client.get("/", HTTP_HOST=school.site.hostname).status_code


def counts():
    return (
        School.objects.count(),
        Site.objects.count(),
        Page.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
    )


# --- listing ---------------------------------------------------------------------------------


def test_listing_shows_every_school_with_its_columns_and_counts(admin_client, two_schools):
    school_a, school_b = two_schools
    make_school("thcs-c", kind=School.Kind.LOWER_SECONDARY, name="Trường THCS C")

    response = get(admin_client, INDEX)

    assert response.status_code == 200
    assert listed_names(response) == {school_a.name, school_b.name, "Trường THCS C"}
    html = response.content.decode()
    for header in ("Tên trường", "Cấp học", "Tên miền", "Trạng thái", "Ngày tạo"):
        assert header in html
    assert '<a href="http://th-a.localhost/"' in html
    assert "Tiểu học" in html and "Mầm non – Mẫu giáo" in html and "Đang hoạt động" in html
    assert school_a.created_at.astimezone().strftime("%d/%m/%Y") in html
    assert response.context["counts"]["total"] == 3
    assert dict(response.context["counts"]["by_kind"]) == {
        "Mầm non – Mẫu giáo": 1,
        "Tiểu học": 1,
        "Trung học cơ sở": 1,
        "Tiểu học và Trung học cơ sở": 0,
    }
    assert dict(response.context["counts"]["by_status"]) == {
        "Đang hoạt động": 3,
        "Đã lưu trữ": 0,
    }
    assert "Tổng số: 3 trường." in html
    # Nobody deletes a school from here.
    assert delete_url(school_a) not in html


def test_listing_filters_by_kind_and_status(admin_client, two_schools):
    school_a, school_b = two_schools
    archived = make_school("th-luu", name="Trường Tiểu học Lưu")
    post(admin_client, archive_url(archived))

    assert listed_names(get(admin_client, INDEX, kind__exact="preschool")) == {school_b.name}
    assert listed_names(get(admin_client, INDEX, kind__exact="primary")) == {
        school_a.name,
        archived.name,
    }
    assert listed_names(get(admin_client, INDEX, status__exact="archived")) == {archived.name}
    assert listed_names(
        get(admin_client, INDEX, status__exact="active", kind__exact="primary")
    ) == {school_a.name}
    response = get(admin_client, INDEX)
    assert dict(response.context["counts"]["by_status"]) == {
        "Đang hoạt động": 2,
        "Đã lưu trữ": 1,
    }


def test_listing_searches_by_name_and_hostname(admin_client, two_schools):
    school_a, school_b = two_schools

    assert listed_names(get(admin_client, INDEX, q="Mầm non")) == {school_b.name}
    assert listed_names(get(admin_client, INDEX, q="th-a.localhost")) == {school_a.name}
    response = get(admin_client, INDEX, q="không-có-trường-này")
    assert listed_names(response) == set()
    assert "Không có trường học nào khớp" in response.content.decode()


def test_listing_query_count_does_not_grow_with_schools(
    admin_client, two_schools, django_assert_num_queries, django_assert_max_num_queries
):
    """Measured: 17 queries (2 of them savepoints) with 2 schools and with 30."""
    get(admin_client, INDEX)  # warm per-process caches (content types, admin menu)
    with django_assert_max_num_queries(20) as captured:
        response = get(admin_client, INDEX)
    with_two = len(captured)  # read now: the captured list is a window on the live log
    assert len(response.context["object_list"]) == 2

    for n in range(28):
        make_school(f"th-so-{n}", name=f"Trường Tiểu học số {n}")
    get(admin_client, INDEX)

    with django_assert_num_queries(with_two):
        response = get(admin_client, INDEX)
    assert len(response.context["object_list"]) == 30
    with django_assert_num_queries(with_two):
        response = get(admin_client, INDEX, q="số", kind__exact="primary")
    assert len(response.context["object_list"]) == 28


# --- create ------------------------------------------------------------------------------------

# The create form requires the principal (tests/district_site/test_invitations.py covers it).
PRINCIPAL = {"principal_name": "Nguyễn Thị Mai", "principal_email": "mai@example.vn"}


def test_create_provisions_the_school_and_shows_its_url(admin_client, school_a):
    response = post(
        admin_client,
        CREATE,
        {
            "name": "Trường Mầm non Hoa Sen",
            "kind": "preschool",
            "hostname": "mn-hoasen.localhost",
            "address": "12 Lê Lợi",
            "short_code": "MN01",
            **PRINCIPAL,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == INDEX
    school = School.objects.select_related("site").get(name="Trường Mầm non Hoa Sen")
    assert school.site.hostname == "mn-hoasen.localhost"
    assert (school.kind, school.address, school.short_code) == ("preschool", "12 Lê Lợi", "MN01")
    assert any("http://mn-hoasen.localhost/" in m for m in messages_of(response))
    assert site_status(admin_client, school) == 200
    assert site_status(admin_client, school_a) == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "Trường Mới", "kind": "primary", "hostname": "th-a.localhost"},
            "Tên miền “th-a.localhost” đã được dùng cho trường “Trường Tiểu học A”.",
        ),
        (
            {"name": "Trường Mới", "kind": "primary", "hostname": "example.com"},
            "phải là tên miền con của localhost",
        ),
        (
            {"name": "Trường Tiểu học A", "kind": "primary", "hostname": "moi.localhost"},
            "Đã có trường tên “Trường Tiểu học A”",
        ),
    ],
)
def test_create_with_bad_input_shows_the_vietnamese_error_and_creates_nothing(
    admin_client, two_schools, data, message
):
    before = counts()

    response = post(admin_client, CREATE, {**data, **PRINCIPAL})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert message in " ".join(response.context["form"].non_field_errors())
    assert counts() == before


def test_create_form_rejects_an_unknown_kind_before_provisioning(admin_client, school_a):
    before = counts()
    response = post(
        admin_client, CREATE, {"name": "X", "kind": "university", "hostname": "x.localhost"}
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert counts() == before


# --- edit and inspect ----------------------------------------------------------------------


def test_edit_changes_only_the_schools_own_details(admin_client, two_schools):
    school_a, school_b = two_schools
    board_a = make_member(school_a, "board_a", board=True)
    board_b = make_member(school_b, "board_b", board=True)
    editor_a = make_member(school_a, "editor_a")

    response = get(admin_client, edit_url(school_a))
    form = response.context["form"]
    assert set(form.fields) == {"name", "short_code", "address", "principal", "keep_old_on_board"}
    assert set(form.fields["principal"].queryset) == {board_a}

    # A board member of another school, or a contributor, cannot be made principal.
    for outsider in (board_b, editor_a):
        response = post(
            admin_client,
            edit_url(school_a),
            {"name": school_a.name, "short_code": "", "address": "", "principal": outsider.pk},
        )
        assert response.status_code == 200
        assert "principal" in response.context["form"].errors
    site_id = school_a.site_id
    response = post(
        admin_client,
        edit_url(school_a),
        {
            "name": "Trường Tiểu học A mới",
            "short_code": "TH-A",
            "address": "1 Trần Phú",
            "principal": board_a.pk,
            # Not fields of the form: ignored.
            "site": school_b.site_id,
            "hostname": "khac.localhost",
            "board_group": school_b.board_group_id,
        },
    )
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert (school_a.name, school_a.short_code, school_a.address, school_a.principal) == (
        "Trường Tiểu học A mới",
        "TH-A",
        "1 Trần Phú",
        board_a,
    )
    assert school_a.site_id == site_id
    assert school_a.site.hostname == "th-a.localhost"
    assert school_a.board_group_id != school_b.board_group_id


def test_inspect_shows_the_school(admin_client, two_schools):
    school_a, _ = two_schools
    response = get(admin_client, inspect_url(school_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert school_a.name in html and "th-a.localhost" in html and "Đang hoạt động" in html
    assert archive_url(school_a) in html


# --- CSV upload --------------------------------------------------------------------------------


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("truong.csv", text.encode("utf-8-sig"), content_type="text/csv")


GOOD_CSV = (
    "name,kind,hostname\n"
    "Trường Mầm non Sen Hồng,preschool,mn-senhong.localhost\n"
    "Trường Tiểu học Kim Đồng,primary,th-kimdong.localhost\n"
    "Trường THCS Nguyễn Du,lower_secondary,thcs-nguyendu.localhost\n"
)


def test_csv_with_good_rows_creates_every_school(admin_client, school_a):
    response = post(admin_client, CSV, {"file": csv_file(GOOD_CSV)})

    assert response.status_code == 200
    created = School.objects.filter(
        site__hostname__in=[
            "mn-senhong.localhost",
            "th-kimdong.localhost",
            "thcs-nguyendu.localhost",
        ]
    )
    assert created.count() == 3
    html = response.content.decode()
    assert "Đã tạo 3 trường từ tệp." in messages_of(response)
    for school in created:
        assert school.name in html and school.url in html
        assert site_status(admin_client, school) == 200


def test_csv_with_one_bad_row_creates_nothing_and_names_the_line(admin_client, school_a):
    text = GOOD_CSV + "Trường Tiểu học Trùng,primary,th-a.localhost\n"
    before = counts()

    response = post(admin_client, CSV, {"file": csv_file(text)})

    assert response.status_code == 200
    assert counts() == before
    errors = response.context["row_errors"]
    assert [e.line for e in errors] == [5]
    html = response.content.decode()
    assert "Dòng 5" in html
    assert "Tên miền “th-a.localhost” đã được dùng cho trường “Trường Tiểu học A”." in html
    assert "Tệp có 1 dòng lỗi; chưa tạo trường nào." in messages_of(response)


def test_csv_dry_run_checks_and_creates_nothing(admin_client, school_a):
    before = counts()

    response = post(admin_client, CSV, {"file": csv_file(GOOD_CSV), "dry_run": "on"})

    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode()
    assert "Trường Tiểu học Kim Đồng" in html and "thcs-nguyendu.localhost" in html
    assert "Trung học cơ sở" in html
    assert any("Chưa tạo trường nào" in m for m in messages_of(response))

    bad = post(admin_client, CSV, {"file": csv_file("name,kind\nA,primary\n"), "dry_run": "on"})
    assert [e.line for e in bad.context["row_errors"]] == [1]
    assert "Thiếu cột: ten_mien (hoặc hostname)." in bad.content.decode()
    assert counts() == before


def test_csv_not_in_utf8_is_refused(admin_client, school_a):
    before = counts()
    upload = SimpleUploadedFile(
        "truong.csv", "name,kind,hostname\nTrường Á,primary,a.localhost\n".encode("utf-16")
    )
    response = post(admin_client, CSV, {"file": upload})
    assert "UTF-8" in " ".join(response.context["form"].errors["file"])
    assert counts() == before


# --- archive and restore ---------------------------------------------------------------------


def test_archive_and_restore_through_the_screen(admin_client, two_schools):
    school_a, school_b = two_schools

    # GET only asks for confirmation.
    response = get(admin_client, archive_url(school_a))
    assert response.status_code == 200
    assert "Lưu trữ trường “Trường Tiểu học A”?" in response.content.decode()
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE

    response = post(admin_client, archive_url(school_a))
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ARCHIVED
    assert site_status(admin_client, school_a) == 404
    assert site_status(admin_client, school_b) == 200
    listing = get(admin_client, INDEX).content.decode()
    assert restore_url(school_a) in listing and archive_url(school_a) not in listing

    response = post(admin_client, restore_url(school_a))
    assert response.status_code == 302
    school_a.refresh_from_db()
    assert school_a.status == School.Status.ACTIVE
    assert site_status(admin_client, school_a) == 200
    assert site_status(admin_client, school_b) == 200


def test_archiving_twice_says_so_and_changes_nothing(admin_client, school_a):
    post(admin_client, archive_url(school_a))
    response = post(admin_client, archive_url(school_a))
    assert any("đã được lưu trữ trước đó" in m for m in messages_of(response))


# --- refusals --------------------------------------------------------------------------------


def all_screen_urls(school) -> list[str]:
    return [
        INDEX,
        CREATE,
        CSV,
        edit_url(school),
        inspect_url(school),
        archive_url(school),
        restore_url(school),
        delete_url(school),
    ]


@pytest.mark.parametrize("role", ["board_b", "editor_a", "principal_a"])
def test_school_users_are_refused_on_every_district_screen(client, two_schools, role):
    school_a, school_b = two_schools
    users = {
        "board_b": lambda: make_member(school_b, "board_b", board=True),
        "editor_a": lambda: make_member(school_a, "editor_a"),
        "principal_a": lambda: make_member(school_a, "principal_a", board=True),
    }
    user = users[role]()
    if role == "principal_a":
        school_a.principal = user
        school_a.save()
    client.force_login(user)
    before = counts()

    dashboard = get(client, "/admin/")
    assert dashboard.status_code == 200
    assert INDEX not in dashboard.content.decode()

    for school in two_schools:
        for url in all_screen_urls(school):
            for method in (get, post):
                response = method(client, url)
                assert response.status_code in (302, 403), (url, method.__name__)
                if response.status_code == 302:
                    assert (
                        "/admin/login/" in response["Location"] or response["Location"] == "/admin/"
                    )
                body = response.content.decode()
                assert school_a.name not in body and school_b.name not in body
    assert counts() == before
    assert set(School.objects.values_list("status", flat=True)) == {School.Status.ACTIVE}


def test_district_admin_and_superuser_get_the_menu_item(client, district_admin, school_a):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (district_admin, superuser):
        client.force_login(user)
        assert INDEX in get(client, "/admin/").content.decode()
        assert get(client, INDEX).status_code == 200


def test_anonymous_is_sent_to_login(client, school_a):
    for url in all_screen_urls(school_a):
        response = get(client, url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
