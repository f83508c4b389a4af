"""Keeps each user's accent-free search name (`PersonSearchName`) in step with their account.

Connected in `SchoolSiteConfig.ready`. A two-line adapter: the key itself is `home.text`'s.
`QuerySet.update()` and `bulk_update()` send no signal; the code that rewrites names in bulk
(a data migration) must call `refresh_search_names` itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from home.text import person_search_key
from school_site.models import PersonSearchName

# A save limited to other fields (a login writes `last_login` only) leaves the key as it is.
KEY_FIELDS = frozenset({"first_name", "last_name", "username", "email"})


def refresh_search_name(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
) -> None:
    """One statement per save: an INSERT for a new user, an UPDATE otherwise (an INSERT only
    for a user saved before the table existed). No `update_or_create`: its savepoint and
    SELECT would triple the cost of every user saved, provisioning's principal included."""
    if raw:  # loading a fixture: the rows come with it
        return
    if update_fields is not None and not KEY_FIELDS & set(update_fields):
        return
    folded = person_search_key(
        instance.first_name, instance.last_name, instance.get_username(), instance.email
    )
    rows = PersonSearchName.objects
    if created or not rows.filter(user_id=instance.pk).update(folded=folded):
        rows.create(user_id=instance.pk, folded=folded)


def refresh_search_names(users: Iterable) -> None:
    """Rewrite the search names of `users` (e.g. after a bulk update of their names)."""
    for user in users:
        refresh_search_name(None, user, created=False)
