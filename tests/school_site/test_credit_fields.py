"""The credit fields (`author`, `contributor_group`) cannot point outside the page's school."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import nested_form_data, streamfield

from district_site.factories import make_member
from school_site.models import ContributorGroup, NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def news_index(school):
    return NewsIndexPage.objects.descendant_of(school.site.root_page).get()


def editor_form(user, parent, instance=None, data=None):
    form_class = NewsPage.get_edit_handler().get_form_class()
    return form_class(data, instance=instance or NewsPage(), parent_page=parent, for_user=user)


def form_data(**overrides):
    data = {
        "title": "Hội thi giáo viên dạy giỏi cấp trường",
        "slug": "hoi-thi-giao-vien-day-gioi",
        "category": "school_news",
        "date": "2026-11-20",
        "intro": "",
        "body": streamfield([]),
        "author": "",
        "contributor_group": "",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def groups(school_a, school_b, editor_a, board_a):
    tổ_toán = ContributorGroup.objects.create(school=school_a, name="Tổ Toán")
    tổ_toán.members.add(editor_a, board_a)
    công_đoàn = ContributorGroup.objects.create(school=school_a, name="Công đoàn")
    công_đoàn.members.add(board_a)
    group_b = ContributorGroup.objects.create(school=school_b, name="Tổ Toán")
    return {"toan_a": tổ_toán, "cong_doan_a": công_đoàn, "toan_b": group_b}


def test_new_page_author_defaults_to_the_creating_user(school_a, editor_a):
    form = editor_form(editor_a, news_index(school_a))
    assert form.initial["author"] == editor_a.pk


def test_contributor_cannot_set_another_author(school_a, school_b, editor_a, board_a, groups):
    form = editor_form(editor_a, news_index(school_a), data=form_data(author=str(board_a.pk)))
    assert form.fields["author"].disabled
    assert form.is_valid(), form.errors
    # The posted author is ignored: a disabled field keeps its initial value.
    assert form.cleaned_data["author"] == editor_a


def test_contributor_sees_only_own_groups_of_own_school(school_a, editor_a, groups):
    form = editor_form(editor_a, news_index(school_a))
    assert list(form.fields["contributor_group"].queryset) == [groups["toan_a"]]


def test_contributor_cannot_credit_another_schools_group(school_a, editor_a, groups):
    form = editor_form(
        editor_a,
        news_index(school_a),
        data=form_data(contributor_group=str(groups["toan_b"].pk)),
    )
    assert not form.is_valid()
    assert "contributor_group" in form.errors


def test_board_chooses_author_only_among_school_members(
    school_a, school_b, board_a, editor_a, board_b, groups
):
    form = editor_form(board_a, news_index(school_a))
    choices = set(form.fields["author"].queryset)
    assert editor_a in choices and board_a in choices
    assert board_b not in choices
    form = editor_form(board_a, news_index(school_a), data=form_data(author=str(board_b.pk)))
    assert not form.is_valid()
    assert "author" in form.errors


def test_board_cannot_credit_a_group_the_author_is_not_in(school_a, board_a, editor_a, groups):
    form = editor_form(
        board_a,
        news_index(school_a),
        data=form_data(author=str(editor_a.pk), contributor_group=str(groups["cong_doan_a"].pk)),
    )
    assert not form.is_valid()
    assert form.errors["contributor_group"] == ["Tác giả không phải là thành viên của tổ chức này."]


def test_board_sets_author_and_group_of_the_school(school_a, board_a, editor_a, groups):
    form = editor_form(
        board_a,
        news_index(school_a),
        data=form_data(author=str(editor_a.pk), contributor_group=str(groups["toan_a"].pk)),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["author"] == editor_a


def test_model_validation_refuses_other_schools_group_outside_the_admin(school_a, editor_a, groups):
    page = NewsPage(title="Tin thử", author=editor_a, contributor_group=groups["toan_b"])
    with pytest.raises(ValidationError, match="không thuộc trường"):
        news_index(school_a).add_child(instance=page)
    page = NewsPage(title="Tin thử", author=editor_a, contributor_group=groups["cong_doan_a"])
    with pytest.raises(ValidationError, match="không phải là thành viên"):
        news_index(school_a).add_child(instance=page)
    page = NewsPage(title="Tin thử", author=editor_a, contributor_group=groups["toan_a"])
    news_index(school_a).add_child(instance=page)
    assert page.pk


def test_admin_create_view_records_the_creator_as_author(client, school_a, school_b, editor_a):
    make_member(school_b, "editor_b")
    client.force_login(editor_a)
    index = news_index(school_a)
    response = client.post(
        f"/admin/pages/add/school_site/newspage/{index.pk}/",
        form_data(title="Lễ khai giảng năm học mới", slug="le-khai-giang"),
        HTTP_HOST="localhost",
    )
    assert response.status_code == 302, response.content[:2000]
    page = NewsPage.objects.get(slug="le-khai-giang")
    assert page.author == editor_a
    assert not page.live
