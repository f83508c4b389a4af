"""Wagtail's page permission tester, taught the two-person rule (DESIGN decision 9).

Every Wagtail route that publishes a page asks the page's permission tester first, not a view
hook: the editor's Publish button and action menu, the bulk "publish" action (and its "include
draft subpages"), the admin API's publish action (through `PublishPageRevisionAction.check`),
copying with "publish copies" and aliases (the destination's `can_publish_subpage`), creating
and publishing in one step (the parent's `can_publish_subpage`), scheduling (a go-live date is
set by the same publish action) and reverting to an old revision and publishing it (the editor
on that revision). So the rule lives here, once, and the buttons follow it: a button is not
offered where its action would be refused.

`Page.permissions_for_user` casts a plain `Page` to its specific class when that class
overrides the method (wagtail/models/pages.py), so these testers answer even for the plain
`Page` querysets of listings and bulk actions. The cast is `specific_deferred`: no query until
the rule reads the credit fields, which it does only when publishing is asked about.

The rule itself is `school_site.review.may_publish`; these classes only adapt it.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester

from school_site import review


class ContentPagePermissionTester(PagePermissionTester):
    """For a content post: publishing needs a second person (see review.may_publish)."""

    def can_publish(self) -> bool:
        return super().can_publish() and review.may_publish(self.page, self.user)

    # Wagtail answers these two with can_publish(). Neither makes anything go live (withdrawing
    # a scheduled publication, restricting who may view the page), so they keep Wagtail's
    # "publish" right unchanged: an author may still cancel the schedule a colleague approved.
    def can_unschedule(self) -> bool:
        return super().can_publish()

    def can_set_view_restrictions(self) -> bool:
        return super().can_publish()


class ContentSectionPermissionTester(PagePermissionTester):
    """For a section holding content posts: nothing is created there already live.

    `can_publish_subpage` on the parent decides "create and publish" in the editor, whether a
    copy keeps its live status ("publish copies", and the admin API's copy, which publishes by
    default) and whether an alias may be made there. Publishing the section page itself, adding
    drafts and reordering keep Wagtail's permissions.
    """

    def can_publish_subpage(self) -> bool:
        return super().can_publish_subpage() and review.may_publish_new_child(self.page, self.user)
