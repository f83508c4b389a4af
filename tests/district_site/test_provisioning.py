import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from district_site.models import School
from district_site.provisioning import ProvisioningError, provision_school
from home.models import SiteBranding
from school_site.models import (
    AboutPage,
    BoardPage,
    ContactPage,
    DocumentIndexPage,
    GalleryIndexPage,
    LectureIndexPage,
    NewsIndexPage,
    SchoolHomePage,
    StaffPage,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", School.Kind.values)
def test_each_kind_provisions_a_complete_site(kind):
    other = provision_school(name="Trường khác", kind="primary", hostname="khac.localhost").school
    result = provision_school(
        name=f"Trường {kind}", kind=kind, hostname=f"{kind.replace('_', '-')}.localhost"
    )

    assert result.created
    school = result.school
    home = school.site.root_page.specific
    assert isinstance(home, SchoolHomePage)
    assert home.title == f"Trường {kind}"
    assert home.depth == 2 and home.live
    assert school.site.hostname.endswith(".localhost")
    assert not school.site.is_default_site
    children = {type(p) for p in home.get_children().specific()}
    assert children == {
        NewsIndexPage,
        DocumentIndexPage,
        LectureIndexPage,
        GalleryIndexPage,
        AboutPage,
        ContactPage,
    }
    about = AboutPage.objects.child_of(home).get()
    board_page = BoardPage.objects.child_of(about).get()
    assert "Quy chế" in board_page.regulations or "Điều 1" in board_page.regulations
    assert StaffPage.objects.child_of(about).exists()
    assert school.collection.get_parent() == Collection.get_first_root_node()
    assert SiteBranding.objects.get(site=school.site).display_name == school.name
    assert school.board_group != other.board_group
    assert school.status == School.Status.ACTIVE


def test_preschool_sections_use_preschool_wording():
    school = provision_school(
        name="Trường MN Sen", kind="preschool", hostname="mn.localhost"
    ).school
    lectures = LectureIndexPage.objects.descendant_of(school.site.root_page).get()
    assert "Góc cha mẹ" in lectures.title


def test_second_run_changes_nothing_and_says_so(school_a):
    counts = (
        Page.objects.count(),
        Site.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
    )
    result = provision_school(
        name=school_a.name, kind=school_a.kind, hostname=school_a.site.hostname
    )
    assert not result.created
    assert "không thay đổi" in result.message
    assert result.school == school_a
    assert counts == (
        Page.objects.count(),
        Site.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
    )


@pytest.mark.parametrize(
    ("name", "kind", "hostname", "fragment"),
    [
        ("", "primary", "x.localhost", "Thiếu tên trường"),
        ("Trường X", "university", "x.localhost", "Cấp học"),
        ("Trường X", "primary", "", "Thiếu tên miền"),
        ("Trường X", "primary", "bad host.localhost", "không hợp lệ"),
        ("Trường X", "primary", "x.example.com", "tên miền con"),
        ("Trường X", "primary", "localhost", "tên miền con"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_creates_nothing(name, kind, hostname, fragment):
    before = (Page.objects.count(), Site.objects.count(), Group.objects.count())
    with pytest.raises(ProvisioningError, match=fragment):
        provision_school(name=name, kind=kind, hostname=hostname)
    assert before == (Page.objects.count(), Site.objects.count(), Group.objects.count())


def test_conflicting_hostname_or_name_is_refused(school_a):
    with pytest.raises(ProvisioningError, match="đã được dùng"):
        provision_school(name="Trường khác hẳn", kind="primary", hostname=school_a.site.hostname)
    with pytest.raises(ProvisioningError, match="Đã có trường tên"):
        provision_school(name=school_a.name, kind="primary", hostname="moi.localhost")


def test_failure_midway_leaves_nothing(monkeypatch, school_a):
    before = {
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "schools": School.objects.count(),
        "page_perms": GroupPagePermission.objects.count(),
        "branding": SiteBranding.objects.count(),
    }

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fails after the pages, site, collection, groups and permissions were written.
    monkeypatch.setattr(SiteBranding.objects, "create", explode)
    with pytest.raises(RuntimeError):
        provision_school(name="Trường Hỏng", kind="primary", hostname="hong.localhost")

    after = {
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "groups": Group.objects.count(),
        "collections": Collection.objects.count(),
        "schools": School.objects.count(),
        "page_perms": GroupPagePermission.objects.count(),
        "branding": SiteBranding.objects.count(),
    }
    assert after == before
    assert not Site.objects.filter(hostname="hong.localhost").exists()
    # The tree is still consistent: the root's child count matches its children.
    root = Page.get_first_root_node()
    root.refresh_from_db()
    assert root.numchild == root.get_children().count()


def test_groups_have_rights_only_inside_their_school(two_schools):
    for school in two_schools:
        other = next(s for s in two_schools if s != school)
        groups = [school.board_group, school.editors_group]
        page_perms = GroupPagePermission.objects.filter(group__in=groups)
        assert page_perms.exists()
        assert {p.page_id for p in page_perms} == {school.site.root_page_id}
        assert not GroupPagePermission.objects.filter(group__in=groups, page__depth=1).exists()
        coll_perms = GroupCollectionPermission.objects.filter(group__in=groups)
        assert {p.collection_id for p in coll_perms} == {school.collection_id}
        site_perms = GroupSitePermission.objects.filter(group__in=groups)
        assert {p.site_id for p in site_perms} == {school.site_id}
        assert not GroupPagePermission.objects.filter(
            group__in=groups, page__path__startswith=other.site.root_page.path
        ).exists()


def test_board_can_publish_editors_cannot(school_a, board_a, editor_a):
    home = school_a.site.root_page
    assert home.permissions_for_user(board_a).can_publish()
    news_index = NewsIndexPage.objects.child_of(home).get()
    assert news_index.permissions_for_user(editor_a).can_add_subpage()
    assert not news_index.permissions_for_user(editor_a).can_publish_subpage()
    assert not home.permissions_for_user(editor_a).can_publish()
    root = Page.get_first_root_node()
    assert not root.permissions_for_user(board_a).can_add_subpage()
