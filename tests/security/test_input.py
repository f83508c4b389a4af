"""Input hardening: user-given text never becomes markup in generated HTML, and never becomes a
formula in a spreadsheet export."""

import pytest

from district_site.provisioning import provision_school
from school_site.models import AboutPage, BoardPage, NewsIndexPage

HOSTILE_NAME = 'Trường <script>alert(1)</script> & "Hoa <b>Sen</b>"'


@pytest.mark.django_db
def test_a_school_name_with_html_is_escaped_in_its_default_pages(client):
    school = provision_school(
        name=HOSTILE_NAME, kind="primary", hostname="hoa-sen.localhost"
    ).school
    home = school.site.root_page.specific
    news = home.get_children().type(NewsIndexPage).get().specific
    about = home.get_children().type(AboutPage).get().specific
    board = about.get_children().type(BoardPage).get().specific

    stored = [home.intro, news.intro, str(about.body), board.regulations]
    for html in stored:
        assert "<script>" not in html
        assert "<b>Sen</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    for page in (home, news, about, board):
        response = client.get(page.url, HTTP_HOST="hoa-sen.localhost")
        assert response.status_code == 200
        body = response.content.decode()
        assert "<script>alert(1)</script>" not in body, page.title
        assert "<b>Sen</b>" not in body, page.title
