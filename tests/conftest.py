import pytest

from district_site.factories import make_member, make_school
from district_site.models import School


@pytest.fixture
def school_a(db) -> School:
    return make_school("th-a", kind=School.Kind.PRIMARY, name="Trường Tiểu học A")


@pytest.fixture
def school_b(db) -> School:
    return make_school("mn-b", kind=School.Kind.PRESCHOOL, name="Trường Mầm non B")


@pytest.fixture
def two_schools(school_a, school_b) -> list[School]:
    return [school_a, school_b]


@pytest.fixture
def board_a(school_a):
    return make_member(school_a, "board_a", board=True)


@pytest.fixture
def editor_a(school_a):
    return make_member(school_a, "editor_a")


@pytest.fixture
def board_b(school_b):
    return make_member(school_b, "board_b", board=True)
