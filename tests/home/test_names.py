"""One way to store and show a Vietnamese name (home/text.py) and the migration that moves
users stored the other way round (home/migrations/0003_vietnamese_name_order.py)."""

from importlib import import_module

import pytest
from django.contrib.auth import get_user_model

from district_site.factories import UserFactory
from home.text import NAME_ORDERING, display_name, join_name, split_full_name, user_label

migration = import_module("home.migrations.0003_vietnamese_name_order")
User = get_user_model()


def test_full_name_as_written_round_trips():
    for written in ("Nguyễn Thị Mai", "Lê Hoa", "Tôn Nữ Thị Ngọc Hân"):
        first, last = split_full_name(written)
        assert first == written.split()[-1]
        assert join_name(first, last) == written
    assert split_full_name("  ") == ("", "")


def test_display_and_label_read_family_name_first():
    user = User(username="mai", first_name="Mai", last_name="Nguyễn Thị")
    assert display_name(user) == "Nguyễn Thị Mai"
    assert user_label(user) == "Nguyễn Thị Mai (mai)"
    nameless = User(username="gv01")
    assert display_name(nameless) == "gv01" and user_label(nameless) == "gv01"


@pytest.mark.django_db
def test_lists_sort_by_given_name_then_family_name():
    for username, written in [
        ("a", "Trần Văn Bình"),
        ("b", "Nguyễn Thị An"),
        ("c", "Lê Văn Bình"),
        ("d", "Phạm Chi"),
    ]:
        first, last = split_full_name(written)
        UserFactory(username=username, first_name=first, last_name=last)
    names = [
        display_name(u) for u in User.objects.filter(username__in="abcd").order_by(*NAME_ORDERING)
    ]
    assert names == ["Nguyễn Thị An", "Lê Văn Bình", "Trần Văn Bình", "Phạm Chi"]


@pytest.mark.parametrize(
    ("first_name", "last_name", "old_order"),
    [
        ("Nguyễn Văn", "Hiếu", True),  # the demo's old order: family and middle in first_name
        ("Lê", "Hoa", True),  # family name first, given name not a family name
        ("Hiếu", "Nguyễn Văn", False),  # already right
        ("Mai", "Nguyễn Thị", False),  # "Mai" is also a family name: ambiguous, left as is
        ("Hà", "Trần Thị", False),
        ("John", "Smith", False),
        ("", "Nguyễn Văn An", False),
    ],
)
def test_the_migration_swaps_only_names_clearly_in_the_old_order(first_name, last_name, old_order):
    assert migration.is_old_order(first_name, last_name) is old_order


@pytest.mark.django_db
def test_the_migration_fixes_stored_users():
    from django.apps import apps

    old = UserFactory(username="old", first_name="Nguyễn Văn", last_name="Hiếu")
    new = UserFactory(username="new", first_name="Mai", last_name="Nguyễn Thị")
    migration.forwards(apps, None)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (display_name(old), display_name(new)) == ("Nguyễn Văn Hiếu", "Nguyễn Thị Mai")
