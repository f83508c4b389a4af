"""Reads of a school's people: the listing with what it shows, one person, the school's groups."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery

from district_site.models import School
from home.text import NAME_ORDERING
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


def get_school_person(*, school: School, user_id: int):
    """The user `user_id` of this school, with the listing's annotations; DoesNotExist otherwise."""
    return school_people(school=school).get(pk=user_id)


def school_contributor_groups(*, school: School) -> QuerySet[ContributorGroup]:
    return ContributorGroup.objects.filter(school_id=school.pk).order_by("name")
