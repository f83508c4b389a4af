"""From a provisioned school to a working school, in a real Chromium against the live server.

The district admin creates a preschool with its principal; the principal opens the invitation
link from the mail, sets a password, logs in and adds a teacher; the teacher sets their own
password the same way and writes a post. Nobody ever types another person's password.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from district_site.factories import DEFAULT_PASSWORD, UserFactory
from district_site.models import DISTRICT_ADMINS_GROUP, School
from school_site.models import NewsIndexPage, NewsPage

from .conftest import site_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTNAME = "mn-hoasen.localhost"
LINK_RE = re.compile(r"http://[^\s/]+(/tai-khoan/dat-mat-khau/[^\s]+/)")
PRINCIPAL_EMAIL = "mai.nguyen@example.vn"
TEACHER_EMAIL = "hung.le@example.vn"
TITLE = "Bé vui hội trăng rằm"


def new_context_page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    return context.new_page()


def link_for(email: str, school_base: str) -> str:
    """The set-password link of the last mail to `email`, on the live server's port."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    return school_base + LINK_RE.search(message.body).group(1)


def set_password_and_log_in(page, link: str, base: str, username: str, password: str) -> None:
    page.goto(link)
    page.fill("input[name=new_password1]", password)
    page.fill("input[name=new_password2]", password)
    page.click("form[method=post] button[type=submit]")  # not the site's search form
    expect(page.locator("main, body").first).to_contain_text("Đã lưu mật khẩu")
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_district_admin_to_principal_to_teacher_post(
    migrated_rows, live_server, browser, screenshot, school_a
):
    admin = UserFactory(username="pgd_admin")
    admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
    district = site_url(live_server, "localhost")
    school_base = site_url(live_server, HOSTNAME)

    # 1. The district admin creates the preschool with its principal.
    page = new_context_page(browser)
    page.goto(f"{district}/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{district}/admin/")
    page.goto(f"{district}/admin/district_site/school/create/")
    page.fill("#id_name", "Trường Mầm non Hoa Sen")
    page.select_option("#id_kind", "preschool")
    page.fill("#id_hostname", HOSTNAME)
    page.fill("#id_principal_name", "Nguyễn Thị Mai")
    page.fill("#id_principal_email", PRINCIPAL_EMAIL)
    screenshot(page, "district-admin-fills-the-new-school")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{district}/admin/district_site/school/")
    expect(page.locator(".messages")).to_contain_text(PRINCIPAL_EMAIL)
    screenshot(page, "school-created-principal-invited")
    page.context.close()
    school = School.objects.get(site__hostname=HOSTNAME)
    assert school.kind == School.Kind.PRESCHOOL and school.principal.email == PRINCIPAL_EMAIL

    # 2. The principal sets a password from the invitation, logs in, adds a teacher.
    principal = new_context_page(browser)
    link = link_for(PRINCIPAL_EMAIL, school_base)
    set_password_and_log_in(
        principal, link, school_base, school.principal.username, "Hoa-Sen-hieu-truong-2026"
    )
    screenshot(principal, "principal-logged-in")
    principal.goto(school_base + reverse("school_people:add", args=[school.pk]))
    principal.fill("#id_full_name", "Lê Văn Hùng")
    principal.fill("#id_email", TEACHER_EMAIL)
    principal.fill("#id_position", "Giáo viên")
    screenshot(principal, "principal-adds-a-teacher")
    principal.click("main form button[type=submit]")
    principal.wait_for_url(f"**/admin/people/{school.pk}/")
    expect(principal.locator("[data-people-listing]")).to_contain_text("Lê Văn Hùng")
    screenshot(principal, "teacher-added-and-invited")
    principal.context.close()

    # 3. The teacher sets their own password from their invitation and writes a post.
    teacher_user = school.editors_group.user_set.get(email=TEACHER_EMAIL)
    teacher = new_context_page(browser)
    set_password_and_log_in(
        teacher,
        link_for(TEACHER_EMAIL, school_base),
        school_base,
        teacher_user.username,
        "Hoa-Sen-giao-vien-2026",
    )
    news_index = NewsIndexPage.objects.child_of(school.site.root_page).get()
    teacher.goto(f"{school_base}/admin/pages/add/school_site/newspage/{news_index.pk}/")
    teacher.locator("#id_title").fill(TITLE)
    teacher.locator("#id_title").press("Tab")  # the title -> slug sync runs on change
    expect(teacher.locator("#id_slug")).to_have_value("be-vui-hoi-trang-ram")
    teacher.locator("button.action-save").first.click()
    teacher.wait_for_url("**/edit/**")
    screenshot(teacher, "teacher-wrote-a-post")
    teacher.context.close()

    post = NewsPage.objects.get(title=TITLE)
    assert post.author_id == teacher_user.pk and post.get_parent().pk == news_index.pk
    assert not post.live  # waiting for the board, as every post does
