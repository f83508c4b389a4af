"""The principal's people screens (school_site/people.py, people_views.py): CSV import with a
preview and nothing half-imported, invitations instead of passwords, deactivation, groups and board, and the limits
that keep a principal inside their own school. Two schools in every test."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district_site.factories import UserFactory, make_member
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.provisioning import archive_school
from school_site import people
from school_site.models import ContributorGroup, NewsIndexPage, NewsPage, StaffProfile
from tests.i18n.english import english_strings
from tests.i18n.screens import user_content

pytestmark = pytest.mark.django_db

User = get_user_model()
HOST = "localhost"


# --- helpers -----------------------------------------------------------------------------------


def make_principal(school: School, username: str, **fields):
    user = make_member(school, username, board=True, **fields)
    school.principal = user
    school.save(update_fields=["principal"])
    return user


def make_group(school: School, name: str, *members) -> ContributorGroup:
    group = ContributorGroup.objects.create(school=school, name=name)
    group.members.set(members)
    return group


def fresh(user):
    return User.objects.get(pk=user.pk)


def url(name: str, *args) -> str:
    return reverse(f"school_people:{name}", args=args)


def person_urls(school: School, user) -> list[str]:
    return [
        url(name, school.pk, user.pk) for name in ("edit", "invite", "deactivate", "reactivate")
    ]


def refused(response) -> bool:
    """Wagtail's answer to PermissionDenied: back to the dashboard with a message."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code == 403


def upload(client, school: School, text: str, *, bom: bool = False):
    data = ("\ufeff" + text if bom else text).encode()
    return client.post(
        url("import", school.pk),
        {"file": SimpleUploadedFile("gv.csv", data, content_type="text/csv")},
        HTTP_HOST=HOST,
    )


def confirm(client, school: School, text: str):
    return client.post(url("import", school.pk), {"csv_text": text}, HTTP_HOST=HOST)


def errors_of(response) -> list[tuple[int, str]]:
    plan = response.context["plan"]
    return [(e.line, e.message) for e in plan.errors]


def memberships(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True)) | {
        f"{g.school.name}/{g.name}"
        for g in ContributorGroup.objects.filter(members=user).select_related("school")
    }


@pytest.fixture
def principal_a(school_a):
    return make_principal(school_a, "hieutruong_a", first_name="Lan", last_name="Trần")


@pytest.fixture
def principal_b(school_b):
    return make_principal(school_b, "hieutruong_b")


@pytest.fixture
def groups(school_a, school_b):
    return {
        "toan_a": make_group(school_a, "Tổ Toán"),
        "congdoan_a": make_group(school_a, "Công đoàn"),
        "congdoan_b": make_group(school_b, "Công đoàn"),
        "van_b": make_group(school_b, "Tổ Văn"),
    }


@pytest.fixture
def district_admin(db):
    user = UserFactory(username="pgd_admin", email="pgd@example.edu.vn")
    user.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    return user


GOOD_CSV = (
    "ho_ten,email,chuc_vu,to_chuc\n"
    "Nguyễn Thị Hoà,Hoa.Nguyen@truong-a.edu.vn,Giáo viên,Tổ Toán;Công đoàn\n"
    "Lê Văn Đức,duc.le@truong-a.edu.vn,Kế toán,\n"
    "Phạm Hoà,hoa.nguyen@gmail.com,Giáo viên,Tổ Toán\n"
)


# --- CSV import --------------------------------------------------------------------------------


def test_good_file_preview_writes_nothing_then_confirm_imports_everyone(
    client, principal_a, principal_b, school_a, school_b, groups
):
    client.force_login(principal_a)
    users_before = User.objects.count()

    response = upload(client, school_a, GOOD_CSV, bom=True)

    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.errors == []
    assert [(r.line, r.action, r.username) for r in plan.rows] == [
        (2, "create", "hoa.nguyen"),
        (3, "create", "duc.le"),
        (4, "create", "hoa.nguyen2"),
    ]
    html = response.content.decode()
    assert "Tạo mới" in html and "Xác nhận nhập" in html
    assert User.objects.count() == users_before

    response = confirm(client, school_a, response.context["confirm_form"].initial["csv_text"])

    assert response.status_code == 302
    assert response["Location"] == url("list", school_a.pk)
    assert User.objects.count() == users_before + 3
    hoa = User.objects.get(username="hoa.nguyen")
    assert (hoa.first_name, hoa.last_name, hoa.email) == (
        "Hoà",
        "Nguyễn Thị",
        "hoa.nguyen@truong-a.edu.vn",
    )
    assert hoa.is_active and not hoa.has_usable_password()
    assert not hoa.is_staff and not hoa.is_superuser
    assert memberships(hoa) == {
        school_a.editors_group.name,
        f"{school_a.name}/Tổ Toán",
        f"{school_a.name}/Công đoàn",
    }
    assert StaffProfile.objects.get(user=hoa).school == school_a
    assert StaffProfile.objects.get(user=hoa).position == "Giáo viên"
    duc = User.objects.get(username="duc.le")
    assert memberships(duc) == {school_a.editors_group.name}
    # School B gained no one and no member.
    assert not ContributorGroup.objects.filter(school=school_b, members__isnull=False).exists()
    assert set(User.objects.filter(people.school_member_filter(school_b))) == {principal_b}

    listing = client.get(url("list", school_a.pk), HTTP_HOST=HOST).content.decode()
    assert "Nguyễn Thị Hoà" in listing and "Công đoàn; Tổ Toán" in listing


def test_english_headers_without_bom(principal_a, school_a, school_b, groups):
    text = "full_name,email,position,groups\nTrần Minh,minh@a.edu.vn,Bảo vệ,Công đoàn\n"

    plan = people.import_people(school=school_a, text=text, by_user=principal_a)

    assert plan.imported and plan.errors == []
    minh = User.objects.get(email="minh@a.edu.vn")
    assert memberships(minh) == {school_a.editors_group.name, f"{school_a.name}/Công đoàn"}


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    client, principal_a, school_a, school_b, groups
):
    text = (
        "ho_ten,email,chuc_vu,to_chuc\n"
        "Nguyễn Văn An,an@a.edu.vn,Giáo viên,Tổ Toán\n"  # good, but must not be imported
        ",khongten@a.edu.vn,,\n"  # 3: no name
        "Trần Bình,khong-phai-email,,\n"  # 4: bad e-mail
        "\n"  # 5: empty line, skipped
        "Lê Chi,,,\n"  # 6: no e-mail
        "Phạm Dũng,dung@a.edu.vn,,Tổ Hoá\n"  # 7: no such group anywhere
    )
    client.force_login(principal_a)
    users_before = User.objects.count()

    response = upload(client, school_a, text)

    assert response.status_code == 200
    assert errors_of(response) == [
        (3, "Thiếu họ tên."),
        (4, "Email “khong-phai-email” không hợp lệ."),
        (6, "Thiếu email."),
        (7, "Trường không có tổ chức “Tổ Hoá”."),
    ]
    html = response.content.decode()
    assert "Dòng 7" in html and "chưa nhập ai" in html
    assert response.context["confirm_form"] is None

    # A forged confirmation of the same file is checked again and refused as a whole.
    response = confirm(client, school_a, text)
    assert response.status_code == 200
    assert len(errors_of(response)) == 4
    assert User.objects.count() == users_before
    assert not User.objects.filter(email="an@a.edu.vn").exists()


def test_bad_header(principal_a, school_a, school_b):
    plan = people.plan_people_import(school=school_a, text="ten,email,is_superuser\nA,a@a.vn,1\n")

    assert [(e.line, e.message) for e in plan.errors] == [
        (1, "Cột “ten” không hợp lệ."),
        (1, "Cột “is_superuser” không hợp lệ."),
        (1, "Thiếu cột: ho_ten (hoặc full_name)."),
    ]


def test_duplicate_emails_in_the_file(client, principal_a, school_a, school_b, groups):
    text = (
        "ho_ten,email\n"
        "Nguyễn An,an@a.edu.vn\n"
        "Trần Bình,binh@a.edu.vn\n"
        "Nguyễn An (trùng),AN@a.edu.vn\n"
    )
    client.force_login(principal_a)

    response = upload(client, school_a, text)

    assert errors_of(response) == [(4, "Email “an@a.edu.vn” trùng với dòng 2 của tệp.")]
    assert not User.objects.filter(email__in=["an@a.edu.vn", "binh@a.edu.vn"]).exists()


def test_an_email_of_another_schools_user_is_an_error(
    client, principal_a, principal_b, school_a, school_b, groups
):
    teacher_b = make_member(school_b, "gv_b", email="co.mai@mn-b.edu.vn")
    groups["van_b"].members.add(teacher_b)
    before = memberships(teacher_b)
    text = "ho_ten,email,chuc_vu,to_chuc\nMai,Co.Mai@mn-b.edu.vn,Giáo viên,Tổ Toán\n"
    client.force_login(principal_a)

    response = upload(client, school_a, text)
    assert errors_of(response) == [
        (2, "Email “co.mai@mn-b.edu.vn” thuộc người dùng của trường khác.")
    ]
    response = confirm(client, school_a, text)

    assert response.status_code == 200
    assert memberships(fresh(teacher_b)) == before
    assert not StaffProfile.objects.filter(user=teacher_b).exists()


def test_another_schools_group_names_are_errors(client, principal_a, school_a, school_b, groups):
    # "Tổ Văn" exists only in school B; "Công đoàn" exists in both and means A's own.
    text = "ho_ten,email,chuc_vu,to_chuc\nĐỗ Hằng,hang@a.edu.vn,Giáo viên,Công đoàn; Tổ Văn\n"
    client.force_login(principal_a)

    response = upload(client, school_a, text)

    assert errors_of(response) == [(2, "Trường không có tổ chức “Tổ Văn”.")]
    confirm(client, school_a, text)
    assert not User.objects.filter(email="hang@a.edu.vn").exists()
    assert not groups["van_b"].members.exists()


def test_a_district_admin_or_superuser_email_is_an_error(
    client, principal_a, school_a, school_b, district_admin
):
    root = UserFactory(username="root", email="root@example.edu.vn", is_superuser=True)
    # Even when such an account is also in the school's group.
    root.groups.add(school_a.editors_group)
    text = (
        "ho_ten,email,chuc_vu,to_chuc\n"
        f"Quản trị,{district_admin.email},,\n"
        f"Gốc,{root.email},,\n"
        f"Bạn mới,ban.moi@a.edu.vn,,{DISTRICT_ADMINS_GROUP}\n"
    )
    client.force_login(principal_a)

    response = upload(client, school_a, text)

    assert errors_of(response) == [
        (2, "Email “pgd@example.edu.vn” thuộc một tài khoản quản trị cấp trên, không nhập được."),
        (3, "Email “root@example.edu.vn” thuộc một tài khoản quản trị cấp trên, không nhập được."),
        (4, f"Trường không có tổ chức “{DISTRICT_ADMINS_GROUP}”."),
    ]
    confirm(client, school_a, text)
    assert not User.objects.filter(email="ban.moi@a.edu.vn").exists()
    assert fresh(district_admin).groups.count() == 1


def test_reimport_is_idempotent_and_updates_the_schools_own_people(
    principal_a, school_a, school_b, groups
):
    existing = make_member(school_a, "gv_cu", email="gv.cu@a.edu.vn")
    text = GOOD_CSV + "Giáo viên cũ,gv.cu@a.edu.vn,Tổ trưởng,Tổ Toán\n"

    first = people.import_people(school=school_a, text=text, by_user=principal_a)
    state = {u.username: memberships(u) for u in User.objects.all()}
    count = User.objects.count()
    second = people.import_people(school=school_a, text=text, by_user=principal_a)

    assert [r.action for r in first.rows] == ["create", "create", "create", "update"]
    assert [r.action for r in second.rows] == ["unchanged"] * 4
    assert second.imported and User.objects.count() == count
    assert {u.username: memberships(u) for u in User.objects.all()} == state
    assert memberships(existing) == {school_a.editors_group.name, f"{school_a.name}/Tổ Toán"}
    assert StaffProfile.objects.get(user=existing, school=school_a).position == "Tổ trưởng"


# --- who may use the screens -------------------------------------------------------------------


def test_menu_and_screens_only_for_the_principal(
    client, principal_a, board_a, editor_a, school_a, school_b, groups
):
    client.force_login(principal_a)
    assert "/admin/people/" in client.get("/admin/", HTTP_HOST=HOST).content.decode()
    assert client.get(url("index"), HTTP_HOST=HOST)["Location"] == url("list", school_a.pk)

    for user in (board_a, editor_a):
        client.force_login(user)
        assert "/admin/people/" not in client.get("/admin/", HTTP_HOST=HOST).content.decode()
        for address in [url("index"), url("list", school_a.pk), url("import", school_a.pk)]:
            assert refused(client.get(address, HTTP_HOST=HOST)), (user, address)
        for address in person_urls(school_a, editor_a):
            assert refused(client.get(address, HTTP_HOST=HOST)), (user, address)
            assert refused(client.post(address, {"on_board": "on"}, HTTP_HOST=HOST))
        assert refused(upload(client, school_a, GOOD_CSV))
        assert refused(confirm(client, school_a, GOOD_CSV))
    assert not User.objects.filter(email="duc.le@truong-a.edu.vn").exists()
    assert fresh(editor_a).is_active
    assert not fresh(editor_a).groups.filter(pk=school_a.board_group_id).exists()


def test_the_principal_of_an_archived_school_is_refused(client, principal_a, school_a, school_b):
    archive_school(hostname=school_a.hostname)
    client.force_login(principal_a)

    assert refused(client.get(url("list", school_a.pk), HTTP_HOST=HOST))


def test_another_schools_people_and_school_answer_404_and_change_nothing(
    client, principal_a, principal_b, school_a, school_b, groups
):
    teacher_b = make_member(school_b, "gv_b")
    client.force_login(principal_a)

    for address in [url("list", school_b.pk), url("import", school_b.pk)]:
        assert client.get(address, HTTP_HOST=HOST).status_code == 404
    assert upload(client, school_b, GOOD_CSV).status_code == 404
    # B's user under A's school id, and under B's school id.
    for school in (school_a, school_b):
        for address in person_urls(school, teacher_b):
            response = client.get(address, HTTP_HOST=HOST)
            assert response.status_code == 404, address
            assert "gv_b" not in response.content.decode()
        response = client.post(
            url("edit", school.pk, teacher_b.pk),
            {"on_board": "on", "contributor_groups": [groups["congdoan_a"].pk]},
            HTTP_HOST=HOST,
        )
        assert response.status_code == 404
        response = client.post(url("invite", school.pk, teacher_b.pk), HTTP_HOST=HOST)
        assert response.status_code == 404
        assert (
            client.post(url("deactivate", school.pk, teacher_b.pk), HTTP_HOST=HOST).status_code
            == 404
        )
    teacher_b = fresh(teacher_b)
    assert teacher_b.is_active and teacher_b.check_password("matkhau-2017")
    assert memberships(teacher_b) == {school_b.editors_group.name}
    listing = client.get(url("list", school_a.pk), HTTP_HOST=HOST)
    assert teacher_b not in listing.context["persons"]
    assert principal_b not in listing.context["persons"]


def test_no_staff_superuser_flag_nor_foreign_group_through_the_forms(
    client, principal_a, editor_a, school_a, school_b, groups
):
    client.force_login(principal_a)
    district_group = Group.objects.get(name=DISTRICT_ADMINS_GROUP)
    for forged in (groups["congdoan_b"].pk, district_group.pk, school_b.board_group_id):
        response = client.post(
            url("edit", school_a.pk, editor_a.pk),
            {
                "contributor_groups": [groups["toan_a"].pk, forged],
                "is_superuser": "on",
                "is_staff": "on",
                "groups": [district_group.pk],
            },
            HTTP_HOST=HOST,
        )
        assert response.status_code == 200
        assert "Chưa lưu được" in response.content.decode()
    editor_a = fresh(editor_a)
    assert not editor_a.is_superuser and not editor_a.is_staff
    assert memberships(editor_a) == {school_a.editors_group.name}

    # The service refuses another school's group too, not only the form.
    with pytest.raises(people.PeopleError):
        people.update_membership(
            school=school_a,
            user=editor_a,
            by_user=principal_a,
            contributor_group_ids=[groups["congdoan_b"].pk],
            on_board=False,
            position="",
        )
    assert memberships(fresh(editor_a)) == {school_a.editors_group.name}


def test_a_superuser_or_district_admin_in_the_school_cannot_be_changed(
    client, principal_a, school_a, school_b, district_admin, groups
):
    district_admin.groups.add(school_a.editors_group)
    root = UserFactory(username="root", is_superuser=True)
    root.groups.add(school_a.editors_group)
    client.force_login(principal_a)

    for target in (district_admin, root):
        client.post(
            url("edit", school_a.pk, target.pk),
            {"on_board": "on", "contributor_groups": [groups["toan_a"].pk]},
            HTTP_HOST=HOST,
        )
        client.post(url("invite", school_a.pk, target.pk), HTTP_HOST=HOST)
        client.post(url("deactivate", school_a.pk, target.pk), HTTP_HOST=HOST)
        target = fresh(target)
        assert target.is_active and target.check_password("matkhau-2017")
        assert not target.groups.filter(pk=school_a.board_group_id).exists()
        assert not target.contributor_groups.exists()


# --- one person --------------------------------------------------------------------------------


def test_assign_groups_position_and_board(
    client, principal_a, editor_a, school_a, school_b, groups
):
    client.force_login(principal_a)

    response = client.post(
        url("edit", school_a.pk, editor_a.pk),
        {
            "position": "Tổ trưởng",
            "on_board": "on",
            "contributor_groups": [groups["toan_a"].pk, groups["congdoan_a"].pk],
        },
        HTTP_HOST=HOST,
    )

    assert response.status_code == 302
    assert memberships(fresh(editor_a)) == {
        school_a.editors_group.name,
        school_a.board_group.name,
        f"{school_a.name}/Tổ Toán",
        f"{school_a.name}/Công đoàn",
    }
    assert StaffProfile.objects.get(user=editor_a, school=school_a).position == "Tổ trưởng"

    groups["toan_a"].leader = editor_a
    groups["toan_a"].save()
    client.post(
        url("edit", school_a.pk, editor_a.pk),
        {"position": "", "contributor_groups": [groups["congdoan_a"].pk]},
        HTTP_HOST=HOST,
    )
    assert memberships(fresh(editor_a)) == {
        school_a.editors_group.name,
        f"{school_a.name}/Công đoàn",
    }
    groups["toan_a"].refresh_from_db()
    assert groups["toan_a"].leader is None
    assert not StaffProfile.objects.filter(user=editor_a).exists()


def test_the_principal_cannot_leave_the_board(client, principal_a, school_a, school_b):
    client.force_login(principal_a)

    response = client.post(url("edit", school_a.pk, principal_a.pk), {}, HTTP_HOST=HOST)

    assert response.status_code == 200
    assert "Hiệu trưởng không thể tự rời Ban quản trị." in response.content.decode()
    assert fresh(principal_a).groups.filter(pk=school_a.board_group_id).exists()


def test_a_user_of_two_schools_changes_only_in_this_school(
    client, principal_a, principal_b, school_a, school_b, groups
):
    shared = make_member(school_a, "gv_hai_truong")
    shared.groups.add(school_b.board_group)
    groups["van_b"].members.add(shared)
    StaffProfile.objects.create(user=shared, school=school_b, position="Phó hiệu trưởng")
    client.force_login(principal_a)

    client.post(
        url("edit", school_a.pk, shared.pk),
        {"position": "Giáo viên", "contributor_groups": [groups["toan_a"].pk]},
        HTTP_HOST=HOST,
    )
    client.post(url("invite", school_a.pk, shared.pk), HTTP_HOST=HOST)
    client.post(url("deactivate", school_a.pk, shared.pk), HTTP_HOST=HOST)

    shared = fresh(shared)
    assert memberships(shared) == {
        school_a.editors_group.name,
        school_b.board_group.name,
        f"{school_a.name}/Tổ Toán",
        f"{school_b.name}/Tổ Văn",
    }
    assert StaffProfile.objects.get(user=shared, school=school_b).position == "Phó hiệu trưởng"
    assert StaffProfile.objects.get(user=shared, school=school_a).position == "Giáo viên"
    # Account-wide changes would reach school B too: refused.
    assert shared.is_active and shared.check_password("matkhau-2017")


def test_deactivate_keeps_pages_and_reactivate(client, principal_a, editor_a, school_a, school_b):
    index = NewsIndexPage.objects.child_of(school_a.site.root_page).get()
    page = NewsPage(title="Hội giảng cấp trường", author=editor_a, owner=editor_a)
    index.add_child(instance=page)
    client.force_login(principal_a)

    page_html = client.get(url("deactivate", school_a.pk, editor_a.pk), HTTP_HOST=HOST)
    assert "vẫn được giữ nguyên" in page_html.content.decode()
    response = client.post(url("deactivate", school_a.pk, editor_a.pk), HTTP_HOST=HOST)

    assert response.status_code == 302
    assert not fresh(editor_a).is_active
    page = NewsPage.objects.get(pk=page.pk)
    assert page.author_id == editor_a.pk and page.live
    assert fresh(editor_a).groups.filter(pk=school_a.editors_group_id).exists()
    listing = client.get(url("list", school_a.pk), HTTP_HOST=HOST).content.decode()
    assert "Đã khoá" in listing

    client.post(url("reactivate", school_a.pk, editor_a.pk), HTTP_HOST=HOST)
    assert fresh(editor_a).is_active


def test_the_principal_cannot_deactivate_themselves(principal_a, school_a, school_b):
    with pytest.raises(people.PeopleError):
        people.deactivate_user(school=school_a, user=principal_a, by_user=principal_a)
    assert fresh(principal_a).is_active


def test_no_one_sets_another_persons_password(client, principal_a, editor_a, school_a, school_b):
    # The old "set password" screen is gone; only the person sets their password, by a link.
    assert not hasattr(people, "set_user_password")
    client.force_login(principal_a)
    edit = client.get(url("edit", school_a.pk, editor_a.pk), HTTP_HOST=HOST).content.decode()
    assert "Gửi liên kết đặt lại mật khẩu" in edit
    assert 'type="password"' not in edit
    assert fresh(editor_a).check_password("matkhau-2017")


# --- query counts ------------------------------------------------------------------------------


def _fill(school: School, count: int, groups: list[ContributorGroup], start: int = 0) -> None:
    for n in range(start, start + count):
        user = make_member(school, f"{school.site.hostname[:4]}_gv{n}", board=n % 5 == 0)
        for group in groups:
            group.members.add(user)
        StaffProfile.objects.create(user=user, school=school, position="Giáo viên")


def test_listing_query_count_does_not_grow_with_people(
    client, principal_a, school_a, school_b, groups, django_assert_num_queries
):
    a_groups = [groups["toan_a"], groups["congdoan_a"]]
    _fill(school_b, 10, [groups["van_b"]])
    _fill(school_a, 4, a_groups)  # with the principal: 5 people
    client.force_login(principal_a)
    listing = url("list", school_a.pk)
    client.get(listing, HTTP_HOST=HOST)  # warm caches shared by every admin page

    with CaptureQueriesContext(connection) as five:
        response = client.get(listing, HTTP_HOST=HOST)
    assert len(response.context["persons"]) == 5

    _fill(school_a, 25, a_groups, start=4)  # 30 people
    with django_assert_num_queries(len(five)):
        response = client.get(listing, HTTP_HOST=HOST)
    assert len(response.context["persons"]) == 30
    assert all(
        [g.name for g in p.school_contributor_groups] == ["Công đoàn", "Tổ Toán"]
        for p in response.context["persons"]
        if p != principal_a
    )


def test_preview_and_error_pages_are_vietnamese(client, principal_a, school_a, school_b, groups):
    client.force_login(principal_a)
    bad = "ho_ten,email\n,x\n"
    for text in (GOOD_CSV, bad):
        response = upload(client, school_a, text)
        assert response.status_code == 200
        assert english_strings(response.content.decode(), user_content()) == []
    assert errors_of(response) == [(2, "Thiếu họ tên."), (2, "Email “x” không hợp lệ.")]
