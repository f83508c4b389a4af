"""Test factories for users and schools (test-only: factory_boy and Faker are in
requirements-test.txt, and nothing in the running site, `seed_demo` included, imports this).

A fixed Faker seed keeps generated names the same from run to run.
"""

import factory
import factory.random
from django.contrib.auth import get_user_model
from faker import Faker

from district_site.models import School
from district_site.provisioning import provision_school

FAKER_SEED = 2017
fake = Faker("vi_VN")
fake.seed_instance(FAKER_SEED)
factory.random.reseed_random(FAKER_SEED)

DEFAULT_PASSWORD = "matkhau-2017"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyFunction(fake.first_name)
    last_name = factory.LazyFunction(fake.last_name)
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu.vn")
    password = factory.django.Password(DEFAULT_PASSWORD)


def make_school(
    slug: str, *, kind: str = School.Kind.PRIMARY, name: str | None = None, address: str = ""
) -> School:
    """Provision (or fetch) the school served at <slug>.localhost through the real service."""
    name = name or f"Trường {School.Kind(kind).label} {slug.replace('-', ' ').title()}"
    return provision_school(
        name=name, kind=kind, hostname=f"{slug}.localhost", address=address
    ).school


def make_member(school: School, username: str, *, board: bool = False, **fields):
    """A user in the school's editors group, or in its board group with `board=True`."""
    user = UserFactory(username=username, **fields)
    user.groups.add(school.board_group if board else school.editors_group)
    return user
