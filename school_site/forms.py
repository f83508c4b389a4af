"""The page editor form of every content page: who may set the credit fields, and to what."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from district_site.models import School
from district_site.selectors import school_for_page
from home.forms import BasePageForm
from home.text import NAME_ORDERING, display_name
from school_site import review


def school_members(school: School):
    """Active users of the school: its board and its editors."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups=school.board_group_id) | Q(groups=school.editors_group_id), is_active=True
        )
        .distinct()
        .order_by(*NAME_ORDERING)
    )


def is_board_member(user, school: School | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return school is not None and user.groups.filter(pk=school.board_group_id).exists()


class ContentPageForm(BasePageForm):
    """Scoring reads `author` and `contributor_group`, so they are guarded here:

    - a new page's author is the user creating it;
    - only the school's board may choose or change the author;
    - the group list holds only the school's groups (for a contributor: the ones they belong to).

    A new post whose slug is taken gets a free one (BasePageForm).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields with a callable default (`date`, `issue_date`) would get a hidden "initial"
        # input that Wagtail's editor never renders, so Django would see them as changed on
        # every submit: each "Duyệt" in the editor would save a new revision and, with
        # WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, restart the review instead of publishing.
        for field in self.fields.values():
            field.show_hidden_initial = False
        page = self.instance
        # A new page has no path yet: its school is the parent's.
        anchor = page if page.pk else self.parent_page
        self.school = school_for_page(anchor) if anchor is not None else None
        user = self.for_user
        self.user_is_board = is_board_member(user, self.school)

        if not page.pk and not page.author_id and user is not None:
            self.initial["author"] = user.pk

        if "author" in self.fields:
            field = self.fields["author"]
            field.label_from_instance = _user_label
            if self.school is not None:
                field.queryset = school_members(self.school)
            if not self.user_is_board:
                # Disabled fields keep their initial value whatever is posted.
                field.disabled = True
                field.help_text = "Tác giả là người tạo bài; chỉ Ban quản trị được đổi."

        if "contributor_group" in self.fields:
            # Imported here: the page models import this module to set base_form_class.
            from school_site.models.groups import ContributorGroup

            groups = ContributorGroup.objects.none()
            if self.school is not None:
                groups = ContributorGroup.objects.filter(school=self.school)
                if not self.user_is_board and user is not None:
                    groups = groups.filter(members=user)
            self.fields["contributor_group"].queryset = groups

    def clean(self):
        cleaned = super().clean()
        author = cleaned.get("author")
        group = cleaned.get("contributor_group")
        if self.school is not None and author is not None:
            if not school_members(self.school).filter(pk=author.pk).exists():
                self.add_error("author", "Tác giả phải là giáo viên, nhân viên của trường.")
        if group is not None and (self.school is None or group.school_id != self.school.pk):
            self.add_error("contributor_group", "Tổ chức này không thuộc trường của bài viết.")
        elif group is not None and author is not None:
            if not group.members.filter(pk=author.pk).exists():
                self.add_error(
                    "contributor_group", "Tác giả không phải là thành viên của tổ chức này."
                )
        return cleaned

    def _sets_credit(self) -> bool:
        """This save makes `for_user` the page's credit setter (a new page, or author/group changed)."""
        page = self.instance
        changed = not page.pk or {"author", "contributor_group"} & set(self.changed_data)
        return bool(changed) and self.for_user is not None and self.for_user.is_authenticated

    def _goes_live(self) -> bool:
        """The editor's button pressed publishes this revision (Publish, or "Duyệt" in a review)."""
        data = self.data
        return bool(
            data.get("action-publish")
            or (
                data.get("action-workflow-action") and data.get("workflow-action-name") == "approve"
            )
        )

    def _post_clean(self):
        super()._post_clean()
        # Wagtail's editor asks the permission tester whether Publish is allowed BEFORE it
        # validates this form, and only sees the credit fields as they were: setting the author
        # or group here makes this user the credit setter of the very revision that would go
        # live. The form is the first place that knows that revision, so it asks the rule
        # again, and refuses with the reason before anything is saved. (Where the tester
        # already refused, the button was not offered; a crafted or stale POST lands here too
        # and is refused instead of being quietly saved as a draft.)
        if not self._goes_live() or self.for_user is None:
            return
        sets_credit = self._sets_credit()
        if not review.may_publish(self.instance, self.for_user, sets_credit=sets_credit):
            self.add_error(
                None,
                review.CREDIT_CHANGE_NEEDS_REVIEW if sets_credit else review.SELF_PUBLISH_REFUSED,
            )

    def save(self, commit=True):
        if self._sets_credit():
            self.instance.credit_set_by = self.for_user
        return super().save(commit=commit)


def _user_label(user) -> str:
    return display_name(user)
