"""Page forms for a sealed admin: user choice fields offer the editing user's own schools only.

Kept apart from `district_site.admin_scoping` (which imports Wagtail's admin views) because page models
import this module to name their `base_form_class`: it imports nothing of the project at import
time, so the models can load before the district's app.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm


def scope_user_fields(form, user: AbstractBaseUser) -> None:
    """Limit the form's user choice fields to `user`'s own schools' people (and the current
    value, so a page set up by the district keeps validating)."""
    from district_site import admin_scoping

    user_model = get_user_model()
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not issubclass(queryset.model, user_model):
            continue
        current = form.initial.get(name)
        current_ids = current if isinstance(current, list | tuple) else [current]
        current_ids = [getattr(value, "pk", value) for value in current_ids if value]
        scoped = admin_scoping.scope_users(queryset, user)
        if current_ids:
            scoped = queryset.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=current_ids))
        field.queryset = scoped


def _user_scoped_form_class(form_class: type, user: AbstractBaseUser) -> type:
    class UserScopedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            scope_user_fields(self, user)

    UserScopedForm.__name__ = UserScopedForm.__qualname__ = form_class.__name__
    return UserScopedForm


class OwnSchoolUsersPageForm(WagtailAdminPageForm):
    """A page form whose user fields, its inline panels' included, offer own schools' people.

    Wagtail renders a plain select of every user of the install for a ForeignKey to the user
    model (the About > Board page's "Tài khoản"); the choices are also what validation accepts.
    Inline panels' child forms are built by their formset without the requesting user, so the
    formset's form class is swapped for one that knows it (this covers the empty template form
    used for "add a row" too).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from district_site.roles import roles_for

        user = self.for_user
        if user is None or not roles_for(user).is_limited:
            return
        scope_user_fields(self, user)
        for formset in self.formsets.values():
            formset.form = _user_scoped_form_class(formset.form, user)
            for child in formset.__dict__.get("forms", ()):  # already built ones, if any
                scope_user_fields(child, user)
