"""Reads of a school's people: the listing with what it shows, one person, the school's groups."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from district_site.models import School
from home.text import NAME_ORDERING, search_words
from school_site.models import ContributorGroup, StaffProfile
from school_site.people.access import User, UserGroups, school_member_filter


def school_people(*, school: School) -> QuerySet:
    """Every user of the school (inactive ones too) with what the listing shows.

    Two queries whatever the number of people: the users with their board membership and
    their position at this school annotated, and this school's contributor groups of all of
    them (other schools' groups of a person who works at two schools are left out).
    """
    return (
        User.objects.filter(school_member_filter(school))
        .annotate(
            on_board=Exists(
                UserGroups.objects.filter(user_id=OuterRef("pk"), group_id=school.board_group_id)
            ),
            position=Subquery(
                StaffProfile.objects.filter(user_id=OuterRef("pk"), school_id=school.pk).values(
                    "position"
                )[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "contributor_groups",
                queryset=ContributorGroup.objects.filter(school_id=school.pk).order_by("name"),
                to_attr="school_contributor_groups",
            )
        )
        .order_by("-is_active", *NAME_ORDERING)
    )


def matching(people: QuerySet, query: str) -> QuerySet:
    """People whose folded name, user name or e-mail holds every word of `query`, without
    accents or case ("nguyen" finds "Nguyễn", "d" finds "Đ"): `PersonSearchName`, one
    condition per word on the same joined row."""
    for word in search_words(query):
        people = people.filter(search_name__folded__contains=word)
    return people


def filter_school_people(
    *, school: School, query: str = "", group_id: int | None = None, on_board: bool | None = None
) -> QuerySet:
    """The principal's listing, searched and filtered; still two queries per page."""
    people = matching(school_people(school=school), query)
    if group_id is not None:
        # Only this school's groups: a forged id of another school's group finds nobody.
        people = people.filter(
            pk__in=ContributorGroup.members.through.objects.filter(
                contributorgroup_id=group_id, contributorgroup__school_id=school.pk
            ).values("user_id")
        )
    if on_board is not None:
        people = people.filter(on_board=on_board)
    return people


def get_school_person(*, school: School, user_id: int):
    """The user `user_id` of this school, with the listing's annotations and their honour-board
    opt-out at this school (`hide_on_honour_board`); DoesNotExist otherwise."""
    return (
        school_people(school=school)
        .annotate(
            hide_on_honour_board=Exists(
                StaffProfile.objects.filter(
                    user_id=OuterRef("pk"), school_id=school.pk, hide_on_honour_board=True
                )
            )
        )
        .get(pk=user_id)
    )


def school_contributor_groups(*, school: School) -> QuerySet[ContributorGroup]:
    return ContributorGroup.objects.filter(school_id=school.pk).order_by("name")


# --- across schools (the district admin's screen) ---------------------------------------------


def any_school_member_filter(school_id: int | None = None) -> Q:
    """Users in some school's board or editors group (or in `school_id`'s only)."""
    groups = Q(group__board_of__isnull=False) | Q(group__editors_of__isnull=False)
    if school_id is not None:
        groups = Q(group__board_of=school_id) | Q(group__editors_of=school_id)
    return Q(pk__in=UserGroups.objects.filter(groups).values("user_id"))


def district_people(*, query: str = "", school_id: int | None = None) -> QuerySet:
    """Every school's people (or one school's), searched: the district admin's listing."""
    people = User.objects.filter(any_school_member_filter(school_id)).order_by(
        "-is_active", *NAME_ORDERING
    )
    return matching(people, query)


def schools_by_person(user_ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
    """{user id: [(school name, on its board), ...]} for a page of people, in one query."""
    rows = (
        UserGroups.objects.filter(user_id__in=user_ids)
        .filter(Q(group__board_of__isnull=False) | Q(group__editors_of__isnull=False))
        .values_list("user_id", "group__board_of__name", "group__editors_of__name")
        .order_by("group__board_of__name", "group__editors_of__name")
    )
    found: dict[int, dict[str, bool]] = {}
    for user_id, board_of, editors_of in rows:
        schools = found.setdefault(user_id, {})
        name = board_of or editors_of
        schools[name] = schools.get(name, False) or board_of is not None
    return {user_id: list(schools.items()) for user_id, schools in found.items()}
