"""The admin screens each role opens in a day's work, and how to read them."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site, WorkflowState

from district_site.models import School
from school_site.models import ContributorGroup

HOST = "localhost"


@dataclass
class World:
    """What the screens are opened on: school A's content, and the users of each role."""

    school: School
    news_index: Page
    draft: Page  # submitted to the board, in review
    image: object
    document: object
    workflow_state: WorkflowState
    task_state_id: int
    revisions: list[Revision]


def user_content() -> set[str]:
    """Texts that users typed (titles, names): never a translation problem."""
    texts: set[str] = set()
    texts |= set(Page.objects.values_list("title", flat=True))
    texts |= set(get_image_model().objects.values_list("title", flat=True))
    texts |= set(get_document_model().objects.values_list("title", flat=True))
    texts |= set(Group.objects.values_list("name", flat=True))
    texts |= set(Collection.objects.values_list("name", flat=True))
    texts |= set(School.objects.values_list("name", flat=True))
    texts |= set(ContributorGroup.objects.values_list("name", flat=True))
    texts |= set(Site.objects.values_list("hostname", flat=True))
    texts |= set(Site.objects.values_list("site_name", flat=True))
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        texts |= {user.username, user.get_full_name(), user.get_short_name(), user.email}
    return {t for t in texts if t}


def html_of(response) -> str:
    """Choosers and modals answer JSON carrying HTML; everything else is HTML."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        return data.get("html") or ""
    return response.content.decode()


def screens_for(role: str, world: World) -> dict[str, str]:
    """{screen name: URL} of the screens `role` can open (those it cannot are not listed)."""
    page, index, school = world.draft, world.news_index, world.school
    root = school.site.root_page
    rev_a, rev_b = world.revisions[0].pk, world.revisions[-1].pk
    screens = {
        "dashboard": reverse("wagtailadmin_home"),
        "account": reverse("wagtailadmin_account"),
        "page chooser": reverse("wagtailadmin_choose_page"),
        "page chooser (school)": reverse("wagtailadmin_choose_page_child", args=[root.pk]),
        "page chooser search": reverse("wagtailadmin_choose_page_search") + "?q=tin",
        "external link chooser": reverse("wagtailadmin_choose_page_external_link"),
        "email link chooser": reverse("wagtailadmin_choose_page_email_link"),
        "phone link chooser": reverse("wagtailadmin_choose_page_phone_link"),
        "anchor link chooser": reverse("wagtailadmin_choose_page_anchor_link"),
        "embed chooser": reverse("wagtailembeds:chooser"),
        "report: site history": reverse("wagtailadmin_reports:site_history"),
    }
    if role in ("contributor", "board", "principal"):
        # The contributors' guide (school_site/guide_views.py), in every school user's menu.
        screens["contributors' guide"] = reverse("school_guide:index")
    if role == "district_admin":
        # The district's own group holds no rights on pages, images or documents: its screens
        # are the school registry and the contributor groups (below).
        screens["image chooser"] = reverse("wagtailimages_chooser:choose")
    else:
        screens |= {
            "explorer (school home)": reverse("wagtailadmin_explore", args=[root.pk]),
            "explorer (news)": reverse("wagtailadmin_explore", args=[index.pk]),
            "page search": reverse("wagtailadmin_pages:search") + "?q=kh%E1%BB%8Fe",
            "add news page": reverse(
                "wagtailadmin_pages:add", args=["school_site", "newspage", index.pk]
            ),
            "edit page": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "page history": reverse("wagtailadmin_pages:history", args=[page.pk]),
            "revisions compare": reverse(
                "wagtailadmin_pages:revisions_compare", args=[page.pk, rev_a, rev_b]
            ),
            "workflow history": reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
            "workflow history detail": reverse(
                "wagtailadmin_pages:workflow_history_detail",
                args=[page.pk, world.workflow_state.pk],
            ),
            "images": reverse("wagtailimages:index"),
            "image edit": reverse("wagtailimages:edit", args=[world.image.pk]),
            "image upload": reverse("wagtailimages:add_multiple"),
            "image usage": reverse("wagtailimages:image_usage", args=[world.image.pk]),
            "documents": reverse("wagtaildocs:index"),
            "document edit": reverse("wagtaildocs:edit", args=[world.document.pk]),
            "document upload": reverse("wagtaildocs:add_multiple"),
            "image chooser": reverse("wagtailimages_chooser:choose"),
            "image chooser (selected)": reverse(
                "wagtailimages_chooser:select_format", args=[world.image.pk]
            ),
            "document chooser": reverse("wagtaildocs_chooser:choose"),
            "report: workflows": reverse("wagtailadmin_reports:workflow"),
            "report: workflow tasks": reverse("wagtailadmin_reports:workflow_tasks"),
            "report: aging pages": reverse("wagtailadmin_reports:aging_pages"),
        }
    if role in ("board", "principal", "superuser"):
        screens["report: locked pages"] = reverse("wagtailadmin_reports:locked_pages")
        screens["workflow action: approve (modal)"] = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", world.task_state_id]
        )
        screens["workflow action: request changes (modal)"] = reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "reject", world.task_state_id]
        )
        screens["site branding settings"] = reverse(
            "wagtailsettings:edit", args=["home", "sitebranding", school.site_id]
        )
        screens["move page"] = reverse("wagtailadmin_pages:move", args=[page.pk])
        screens["copy page"] = reverse("wagtailadmin_pages:copy", args=[page.pk])
        screens["delete page"] = reverse("wagtailadmin_pages:delete", args=[page.pk])
        screens["page privacy (modal)"] = reverse("wagtailadmin_pages:set_privacy", args=[page.pk])
        screens["image delete"] = reverse("wagtailimages:delete", args=[world.image.pk])
        screens["document delete"] = reverse("wagtaildocs:delete", args=[world.document.pk])
    if role in ("principal", "district_admin", "superuser"):
        screens["contributor groups"] = "/admin/school_site/contributorgroup/"
        screens["contributor group create"] = "/admin/school_site/contributorgroup/create/"
    if role == "principal":
        # The principal's people screens (school_site/people_views.py), on a contributor.
        person = (school.pk, page.owner_id)
        screens["people"] = reverse("school_people:list", args=[school.pk])
        screens["people import"] = reverse("school_people:import", args=[school.pk])
        screens["person edit"] = reverse("school_people:edit", args=person)
        screens["person invite"] = reverse("school_people:invite", args=person)
        screens["person deactivate"] = reverse("school_people:deactivate", args=person)
        screens["person reactivate"] = reverse("school_people:reactivate", args=person)
    if role in ("district_admin", "superuser"):
        screens["schools"] = "/admin/district_site/school/"
        screens["school create"] = "/admin/district_site/school/create/"
        screens["school inspect"] = f"/admin/district_site/school/inspect/{school.pk}/"
        screens["school edit"] = f"/admin/district_site/school/edit/{school.pk}/"
        screens["school csv upload"] = "/admin/district_site/school/csv/"
    if role == "superuser":
        screens["report: page types usage"] = reverse("wagtailadmin_reports:page_types_usage")
        screens["add page (choose type)"] = reverse("wagtailadmin_pages:add_subpage", args=[1])
        screens["users"] = reverse("wagtailusers_users:index")
        screens["user add"] = reverse("wagtailusers_users:add")
        screens["user edit"] = reverse("wagtailusers_users:edit", args=[page.owner_id])
        screens["groups"] = reverse("wagtailusers_groups:index")
        screens["group add"] = reverse("wagtailusers_groups:add")
        screens["group edit"] = reverse("wagtailusers_groups:edit", args=[school.board_group_id])
        screens["workflows"] = reverse("wagtailadmin_workflows:index")
        screens["workflow edit"] = reverse(
            "wagtailadmin_workflows:edit", args=[world.workflow_state.workflow_id]
        )
        screens["workflow tasks"] = reverse("wagtailadmin_workflows:task_index")
        screens["collections"] = reverse("wagtailadmin_collections:index")
        screens["collection edit"] = reverse(
            "wagtailadmin_collections:edit", args=[school.collection_id]
        )
        screens["sites"] = reverse("wagtailsites:index")
        screens["site edit"] = reverse("wagtailsites:edit", args=[school.site_id])
        screens["redirects"] = reverse("wagtailredirects:index")
        screens["redirect add"] = reverse("wagtailredirects:add")
    if role in ("principal", "district_admin", "superuser"):
        screens |= scoring_screens(role)
    return screens


def scoring_screens(role: str) -> dict[str, str]:
    """The "Thi đua" screens (scoring/views.py). The report and the year screens need a school
    year: this year is created (as the first credited page would create it) before any opens."""
    from django.utils import timezone

    from scoring import services
    from scoring.models import default_label_for

    year = services.get_or_create_school_year(label=default_label_for(timezone.localdate()))
    report = reverse("scoring_admin:report")
    screens = {
        "score sheet": report,
        "score sheet by group": report + f"?year={year.label}&by=group",
        "score sheet by author": report + f"?year={year.label}&by=author",
        # A date range outside the year: the form's error messages.
        "score sheet (bad dates)": report + f"?year={year.label}&start=2001-01-01&end=x",
    }
    if role in ("district_admin", "superuser"):
        screens |= {
            "school years": reverse("scoring_admin:years"),
            "school year add": reverse("scoring_admin:year_add"),
            "school year dates": reverse("scoring_admin:year_edit", args=[year.pk]),
            "school year freeze": reverse("scoring_admin:year_freeze", args=[year.pk]),
            "rubric": reverse("scoring_admin:rubric", args=[year.pk]),
            "bonus points": reverse("scoring_admin:bonus"),
        }
    return screens
