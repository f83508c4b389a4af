"""The district's adjustments and bonuses screen, on two schools: each school with its pages,
bonus so far and suggested bonus; one school's awards with their reasons; refused to school
users; no bonus once the year is frozen; queries flat in the number of schools."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from district_site.factories import make_member, make_school
from scoring import services
from scoring.models import BonusAward
from tests.scoring import test_admin_reports as reports
from tests.scoring.test_admin_reports import HOST, _more_ledger_rows, get, refused

# The report tests' fixtures: the school year, the people of two schools, three credited posts.
year = reports.year
people = reports.people
credited = reports.credited

BONUS = reverse("scoring_admin:bonus")


def award(year, school, user, points: str, reason: str) -> BonusAward:
    return services.award_bonus(
        school_year=year,
        school=school,
        points=Decimal(points),
        criterion=BonusAward.Criterion.OTHER,
        reason=reason,
        user=user,
    )


def test_every_school_with_its_bonus_and_suggestion(
    client, year, credited, people, school_a, school_b
):
    _more_ledger_rows(year, school_a, [people["editor_a"]], per_user=199)
    award(year, school_b, people["district"], "0.5", "Tin tuyển sinh kịp thời")
    response = get(client, people["district"], BONUS)
    assert response.status_code == 200
    overview = {row.school_id: (row.pages, row.bonus, s) for row, s in response.context["overview"]}
    # 2 + 199 credited posts: past the 200 threshold (+2); school B: 1 post, its 0.5 bonus.
    assert overview[school_a.pk] == (201, Decimal("0.00"), Decimal(2))
    assert overview[school_b.pk] == (1, Decimal("0.50"), None)
    assert "data-school-bonuses" in response.content.decode()


def test_one_schools_awards_with_their_reasons(client, year, credited, people, school_a, school_b):
    award(year, school_a, people["district"], "1", "Lý do của trường A")
    award(year, school_b, people["district"], "1", "Lý do của trường B")
    html = get(client, people["district"], BONUS, school=school_a.pk).content.decode()
    assert "Lý do của trường A" in html and "Lý do của trường B" not in html

    data = {
        "school_year": year.pk,
        "school": school_b.pk,
        "points": "1.25",
        "criterion": BonusAward.Criterion.REGULAR,
        "reason": "",
    }
    client.force_login(people["district"])
    response = client.post(BONUS, data, HTTP_HOST=HOST)
    assert response.status_code == 200 and BonusAward.objects.count() == 2
    response = client.post(BONUS, data | {"reason": "Đều đặn"}, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert f"school={school_b.pk}" in response["Location"]
    assert BonusAward.objects.filter(school=school_b, points=Decimal("1.25")).exists()


def test_school_users_are_refused(client, year, credited, people, school_a):
    data = {
        "school_year": year.pk,
        "school": school_a.pk,
        "points": "5",
        "criterion": BonusAward.Criterion.OTHER,
        "reason": "Tự cộng",
    }
    for who in ("principal_a", "board_a", "editor_a", "principal_b"):
        assert refused(get(client, people[who], BONUS)), who
        client.force_login(people[who])
        assert refused(client.post(BONUS, data, HTTP_HOST=HOST)), who
    assert not BonusAward.objects.exists()


def test_no_bonus_once_the_year_is_frozen(client, year, credited, people, school_a):
    services.freeze_school_year(school_year=year, user=people["district"])
    html = get(client, people["district"], BONUS).content.decode()
    assert "data-year-frozen" in html and "data-bonus-form" not in html
    data = {
        "school_year": year.pk,
        "school": school_a.pk,
        "points": "1",
        "criterion": BonusAward.Criterion.OTHER,
        "reason": "Sau khi chốt",
    }
    client.force_login(people["district"])
    response = client.post(BONUS, data, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert not BonusAward.objects.exists()


def test_query_count_does_not_grow_with_schools(client, year, credited, people):
    def queries() -> int:
        client.force_login(people["district"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BONUS, HTTP_HOST=HOST).status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        school = make_school(f"th-bonus{n}", name=f"Trường Tiểu học Bonus {n}")
        _more_ledger_rows(year, school, [make_member(school, f"gv_bonus{n}")], per_user=2)
        award(year, school, people["district"], "1", f"Lý do {n}")
    assert queries() == before
