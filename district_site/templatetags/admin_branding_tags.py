"""The name that ends every admin tab's title: the user's school, or the department's portal."""

from django import template
from django.conf import settings
from wagtail.models import Site

from district_site.models import School
from district_site.roles import roles_for

register = template.Library()

_NAME_ATTR = "_admin_branding_name"


@register.simple_tag(takes_context=True)
def admin_branding_name(context) -> str:
    """ "Trường Tiểu học A" for a school's people, the department's name for everyone else.

    Wagtail writes "Wagtail" there. One query for a school user (their schools' roots are
    already known from `district_site.roles`), none otherwise; remembered on the request. On the
    login page the school is the one whose site the address names.
    """
    request = context.get("request")
    if request is None:
        return settings.WAGTAIL_SITE_NAME
    if not hasattr(request, _NAME_ATTR):
        setattr(request, _NAME_ATTR, _name_for(request))
    return getattr(request, _NAME_ATTR)


def _name_for(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        roles = roles_for(user)
        if roles.is_limited and len(roles.school_ids) == 1:
            name = School.objects.filter(pk__in=roles.school_ids).values_list("name", flat=True)
            return name.first() or settings.WAGTAIL_SITE_NAME
        return settings.WAGTAIL_SITE_NAME
    site = Site.find_for_request(request)
    if site is not None:
        name = School.objects.filter(site=site).values_list("name", flat=True).first()
        if name:
            return name
    return settings.WAGTAIL_SITE_NAME
