"""A principal manages their own school's people: listing, adding one person, CSV import,
invitations, status, contributor groups and the board.

Nobody but the person sets their own password: a principal sends an invitation (new people) or
a reset link (`district_site.invitations`), never types a password. A principal who could set
someone's password could log in as them and approve their own posts under another name, which
would defeat the two-person rule of the board review.

Everything that reads or writes lives here as plain keyword-only functions; the admin views in
`people_views.py` only call them. Every write checks again that `by_user` is the principal of
`school` and that the person belongs to that school, so a view that forgot a check still cannot
reach another school's people.

What a principal can never do, whatever the request says:
- touch a superuser, a staff account or a district admin (`is_protected_account`);
- touch a user who is not in their school's board or editors group;
- put anyone in a group other than their school's board group, editors group and contributor
  groups, or set `is_staff` / `is_superuser` (nothing here writes those flags);
- change account-wide things (password, active status) of a person who also belongs to
  another school: those belong to the district, since that school's principal relies on them too.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from anyascii import anyascii
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from district_site.invitations import KIND_INVITE, KIND_RESET, send_invitation
from district_site.models import School
from district_site.selectors import is_district_admin
from home.csv_upload import RowError
from home.text import NAME_ORDERING, split_full_name
from school_site.admin_views import principal_school_ids
from school_site.models import ContributorGroup, StaffProfile

User = get_user_model()
UserGroups = User.groups.through

# A school has a few hundred people at most; a bigger file is a mistake, not a staff list.
CSV_MAX_BYTES = 512 * 1024
CSV_MAX_ROWS = 1000
NAME_MAX_LENGTH = 150
POSITION_MAX_LENGTH = StaffProfile._meta.get_field("position").max_length
USERNAME_MAX_LENGTH = 150
GROUP_SEPARATOR = ";"

# Header (lower-cased) -> field. Vietnamese and English names, never mixed up in meaning.
HEADER_ALIASES = {
    "ho_ten": "full_name",
    "full_name": "full_name",
    "email": "email",
    "chuc_vu": "position",
    "position": "position",
    "to_chuc": "groups",
    "groups": "groups",
}
REQUIRED_COLUMNS = {"full_name": "ho_ten (hoặc full_name)", "email": "email"}

ROLE_BOARD = "Ban quản trị"
ROLE_STAFF = "Giáo viên, nhân viên"


class PeopleError(Exception):
    """A change the principal may not make; the message is shown to them as is."""


# --- who is who --------------------------------------------------------------------------------


def school_member_filter(school: School) -> Q:
    """Users in the school's board or editors group, without a join that duplicates rows."""
    return Q(
        pk__in=UserGroups.objects.filter(
            group_id__in=(school.board_group_id, school.editors_group_id)
        ).values("user_id")
    )


def is_principal_of(*, user: AbstractBaseUser, school: School) -> bool:
    """Principal of the school, still on its board, school active (see admin_views)."""
    return school.pk in principal_school_ids(user)


def is_protected_account(user: AbstractBaseUser) -> bool:
    """Accounts above any school: a principal never changes them."""
    return bool(user.is_superuser or user.is_staff or is_district_admin(user))


def belongs_to_other_school(*, user: AbstractBaseUser, school: School) -> bool:
    return (
        School.objects.filter(Q(board_group__user=user) | Q(editors_group__user=user))
        .exclude(pk=school.pk)
        .exists()
    )


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


def _require_principal(*, by_user: AbstractBaseUser, school: School) -> None:
    if not is_principal_of(user=by_user, school=school):
        raise PeopleError("Chỉ Hiệu trưởng của trường mới quản lý được người dùng của trường.")


def _require_manageable(*, by_user: AbstractBaseUser, school: School, user) -> None:
    _require_principal(by_user=by_user, school=school)
    if not User.objects.filter(school_member_filter(school), pk=user.pk).exists():
        raise PeopleError("Người này không thuộc trường của bạn.")
    if is_protected_account(user):
        raise PeopleError("Đây là tài khoản quản trị cấp trên; Hiệu trưởng không thay đổi được.")


def _require_account_wide(*, by_user: AbstractBaseUser, school: School, user) -> None:
    """Password and active status are the account's, shared by every school it belongs to."""
    _require_manageable(by_user=by_user, school=school, user=user)
    if belongs_to_other_school(user=user, school=school):
        raise PeopleError(
            "Người này còn thuộc một trường khác; mật khẩu và trạng thái tài khoản "
            "do Phòng GD&ĐT thay đổi."
        )


# --- invitations, status -----------------------------------------------------------------------


def _role_of(*, school: School, user) -> str:
    on_board = user.groups.filter(pk=school.board_group_id).exists()
    return f"{ROLE_BOARD if on_board else ROLE_STAFF} của {school.name}"


def invite_person(*, school: School, user, by_user: AbstractBaseUser) -> str:
    """E-mail the person a link to set their own password; return what was sent, in Vietnamese.

    Someone who never set a password gets the invitation again; someone who has one gets a
    reset link (their current password keeps working until they use it). Either way only the
    person chooses the password. Account-wide like the password itself: a person of two
    schools is the district's to handle.
    """
    _require_account_wide(by_user=by_user, school=school, user=user)
    if not user.is_active:
        raise PeopleError("Tài khoản đang bị khoá; mở lại tài khoản trước khi gửi thư.")
    if not user.email:
        raise PeopleError("Người này chưa có email; không gửi được thư.")
    kind = KIND_RESET if user.has_usable_password() else KIND_INVITE
    send_invitation(
        user=user,
        school_name=school.name,
        base_url=school.site.root_url,
        role=_role_of(school=school, user=user),
        kind=kind,
    )
    what = "liên kết đặt lại mật khẩu" if kind == KIND_RESET else "thư mời"
    return f"Đã gửi {what} tới {user.email}."


def add_person(
    *,
    school: School,
    by_user: AbstractBaseUser,
    full_name: str,
    email: str,
    position: str = "",
    contributor_group_ids: Iterable[int] = (),
    on_board: bool = False,
):
    """Create one person of the school and invite them; all or nothing.

    An e-mail already used by an account is refused: joining an existing account to the school
    goes through the CSV import (which shows the match first) or the district.
    """
    _require_principal(by_user=by_user, school=school)
    full_name = " ".join(unicodedata.normalize("NFC", full_name or "").split())
    email = (email or "").strip()
    position = (position or "").strip()
    if not full_name:
        raise PeopleError("Thiếu họ tên.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise PeopleError(f"Email “{email}” không hợp lệ.") from exc
    if len(position) > POSITION_MAX_LENGTH:
        raise PeopleError(f"Chức vụ dài quá {POSITION_MAX_LENGTH} ký tự.")
    wanted = set(contributor_group_ids)
    if not wanted <= set(school_contributor_groups(school=school).values_list("pk", flat=True)):
        raise PeopleError("Chỉ chọn được tổ chức của trường này.")
    try:
        with transaction.atomic():
            if User.objects.filter(email__iexact=email).exists():
                raise PeopleError(
                    f"Email “{email}” đã có tài khoản; dùng chức năng nhập tệp CSV để thêm người "
                    "này vào trường, hoặc liên hệ Phòng GD&ĐT."
                )
            first_name, last_name = split_full_name(full_name)
            user = User(
                username=unique_username(username_base(email)),
                email=email,
                first_name=first_name[:NAME_MAX_LENGTH],
                last_name=last_name[:NAME_MAX_LENGTH],
                is_active=True,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(school.board_group_id if on_board else school.editors_group_id)
            if wanted:
                user.contributor_groups.add(*wanted)
            _save_position(user_id=user.pk, school=school, position=position)
            send_invitation(
                user=user,
                school_name=school.name,
                base_url=school.site.root_url,
                role=f"{ROLE_BOARD if on_board else ROLE_STAFF} của {school.name}",
            )
    except IntegrityError as exc:
        # Someone took the user name at the same moment; nothing was written.
        raise PeopleError("Dữ liệu vừa thay đổi; hãy thử lại.") from exc
    return user


def deactivate_user(*, school: School, user, by_user: AbstractBaseUser) -> None:
    """Someone who has left: they can no longer log in. Nothing else changes.

    Their pages keep them as author and their credits keep counting: the account stays, with
    its groups, only `is_active` goes off.
    """
    _require_account_wide(by_user=by_user, school=school, user=user)
    if user.pk == by_user.pk:
        raise PeopleError("Bạn không thể tự khoá tài khoản của mình.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


def reactivate_user(*, school: School, user, by_user: AbstractBaseUser) -> None:
    _require_account_wide(by_user=by_user, school=school, user=user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])


# --- memberships -------------------------------------------------------------------------------


def update_membership(
    *,
    school: School,
    user,
    by_user: AbstractBaseUser,
    contributor_group_ids: Iterable[int],
    on_board: bool,
    position: str,
) -> None:
    """Set the person's contributor groups, board membership and position at this school.

    Only this school's groups are touched: the person's groups elsewhere stay as they are.
    Ids of groups that are not this school's are refused, not ignored, so a forged form
    cannot pass unnoticed.
    """
    _require_manageable(by_user=by_user, school=school, user=user)
    wanted = set(contributor_group_ids)
    school_group_ids = set(school_contributor_groups(school=school).values_list("pk", flat=True))
    if not wanted <= school_group_ids:
        raise PeopleError("Chỉ chọn được tổ chức của trường này.")
    position = position.strip()
    if len(position) > POSITION_MAX_LENGTH:
        raise PeopleError(f"Chức vụ dài quá {POSITION_MAX_LENGTH} ký tự.")
    if not on_board and user.pk == by_user.pk:
        raise PeopleError("Hiệu trưởng không thể tự rời Ban quản trị.")

    with transaction.atomic():
        current = set(
            user.contributor_groups.filter(school_id=school.pk).values_list("pk", flat=True)
        )
        if wanted - current:
            user.contributor_groups.add(*(wanted - current))
        if current - wanted:
            user.contributor_groups.remove(*(current - wanted))
            # A leader is always a member (see ContributorGroupForm): leaving ends the lead.
            ContributorGroup.objects.filter(pk__in=current - wanted, leader=user).update(
                leader=None
            )
        if on_board:
            user.groups.add(school.board_group_id)
        else:
            # Leaving the board keeps them a member of the school, as a teacher or staff.
            user.groups.add(school.editors_group_id)
            user.groups.remove(school.board_group_id)
        _save_position(user_id=user.pk, school=school, position=position)


def _save_position(*, user_id: int, school: School, position: str) -> None:
    if position:
        StaffProfile.objects.update_or_create(
            user_id=user_id, school=school, defaults={"position": position}
        )
    else:
        StaffProfile.objects.filter(user_id=user_id, school=school).delete()


# --- CSV import --------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One person of the file, as it will be written."""

    line: int
    full_name: str
    email: str
    position: str
    group_names: list[str]
    groups: list[ContributorGroup] = field(default_factory=list)
    user: object | None = None  # the existing user of this school, or None for a new one
    username: str = ""
    action: str = ""  # "create", "update" or "unchanged"

    @property
    def action_label(self) -> str:
        return {"create": "Tạo mới", "update": "Cập nhật", "unchanged": "Không thay đổi"}.get(
            self.action, ""
        )


@dataclass
class ImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    # For templates, which cannot pass an argument.
    @property
    def count_create(self) -> int:
        return self.count("create")

    @property
    def count_update(self) -> int:
        return self.count("update")

    @property
    def count_unchanged(self) -> int:
        return self.count("unchanged")


def parse_people_csv(*, text: str) -> tuple[list[ImportRow], list[RowError]]:
    """Rows of the file with their line numbers, and the errors found in the file's shape.

    Line numbers are the file's own (the header is line 1), so the principal finds the row in
    a spreadsheet; empty lines are skipped.
    """
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], [RowError(1, "Tệp trống hoặc không đọc được.")]
    columns: list[str | None] = []
    errors: list[RowError] = []
    for name in header:
        key = name.strip().lower()
        column = HEADER_ALIASES.get(key)
        if column is None and key:
            errors.append(RowError(1, f"Cột “{name.strip()}” không hợp lệ."))
        elif column in columns:
            errors.append(RowError(1, f"Cột “{name.strip()}” bị lặp."))
        columns.append(column)
    missing = [label for column, label in REQUIRED_COLUMNS.items() if column not in columns]
    if missing:
        errors.append(RowError(1, "Thiếu cột: " + ", ".join(missing) + "."))
    if errors:
        return [], errors

    rows: list[ImportRow] = []
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                errors.append(RowError(line, "Dòng có nhiều cột hơn dòng tên cột."))
                continue
            values = {
                column: " ".join(cell.split())
                for column, cell in zip(columns, cells, strict=False)
                if column
            }
            names = [n.strip() for n in values.get("groups", "").split(GROUP_SEPARATOR)]
            rows.append(
                ImportRow(
                    line=line,
                    full_name=values.get("full_name", ""),
                    email=values.get("email", "").lower(),
                    position=values.get("position", ""),
                    group_names=list(dict.fromkeys(n for n in names if n)),
                )
            )
            if len(rows) > CSV_MAX_ROWS:
                return [], [RowError(line, f"Tệp có quá {CSV_MAX_ROWS} dòng.")]
    except csv.Error:
        errors.append(RowError(line + 1, "Dòng không đọc được (dấu ngoặc kép chưa đóng?)."))
    if not rows and not errors:
        errors.append(RowError(1, "Tệp không có dòng dữ liệu nào."))
    return rows, errors


def _group_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


_USERNAME_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def username_base(email: str) -> str:
    """ASCII user name from the e-mail's local part: "Hoà.Nguyễn@…" -> "hoa.nguyen"."""
    local = anyascii(email.split("@", 1)[0]).lower()
    base = _USERNAME_UNSAFE.sub("", local).strip("._-")
    return (base or "gv")[: USERNAME_MAX_LENGTH - 6]


def unique_username(base: str, taken_in_file: set[str] = frozenset()) -> str:
    # Compared without case: "Hoa.nguyen" and "hoa.nguyen" would be two confusable accounts.
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    taken |= set(taken_in_file)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def plan_people_import(*, school: School, text: str) -> ImportPlan:
    """Check every row of the file against the school; write nothing.

    The plan lists what `import_people` would create or update, or every error with its line.
    Queries: one for the file's existing users, one for the school's groups, one for their
    memberships, and one per new person to find a free user name.
    """
    rows, errors = parse_people_csv(text=text)
    plan = ImportPlan(rows=rows, errors=list(errors))
    if not rows:
        return plan

    groups_by_key = {_group_key(g.name): g for g in school_contributor_groups(school=school)}
    emails = {row.email for row in rows if row.email}
    existing: dict[str, list] = {}
    users = _users_by_email(emails)
    for user in users:
        existing.setdefault(user.email.lower(), []).append(user)
    member_ids = set(
        User.objects.filter(school_member_filter(school), pk__in=[u.pk for u in users]).values_list(
            "pk", flat=True
        )
    )
    other_school_ids = set(
        UserGroups.objects.filter(
            Q(group__board_of__isnull=False) | Q(group__editors_of__isnull=False),
            user_id__in=[u.pk for u in users if u.pk not in member_ids],
        ).values_list("user_id", flat=True)
    )
    memberships: set[tuple[int, int]] = set(
        ContributorGroup.members.through.objects.filter(
            contributorgroup__school_id=school.pk, user_id__in=member_ids
        ).values_list("user_id", "contributorgroup_id")
    )
    positions = dict(
        StaffProfile.objects.filter(school=school, user_id__in=member_ids).values_list(
            "user_id", "position"
        )
    )

    seen_emails: dict[str, int] = {}
    usernames: set[str] = set()
    for row in rows:
        row_errors = _check_row(row, seen_emails, groups_by_key)
        matches = existing.get(row.email, []) if row.email else []
        if len(matches) > 1:
            row_errors.append(f"Có nhiều tài khoản dùng email “{row.email}”; liên hệ Phòng GD&ĐT.")
        elif matches:
            user = matches[0]
            if is_protected_account(user):
                row_errors.append(
                    f"Email “{row.email}” thuộc một tài khoản quản trị cấp trên, không nhập được."
                )
            elif user.pk in member_ids:
                row.user = user
                row.username = user.get_username()
            elif user.pk in other_school_ids:
                row_errors.append(f"Email “{row.email}” thuộc người dùng của trường khác.")
            else:
                row_errors.append(
                    f"Email “{row.email}” đã thuộc một tài khoản không ở trường nào; "
                    "liên hệ Phòng GD&ĐT."
                )
        plan.errors.extend(RowError(row.line, message) for message in row_errors)
        if row_errors:
            continue
        if row.user is None:
            row.action = "create"
            row.username = unique_username(username_base(row.email), usernames)
            usernames.add(row.username)
        else:
            new_groups = [g for g in row.groups if (row.user.pk, g.pk) not in memberships]
            new_position = row.position and row.position != positions.get(row.user.pk, "")
            row.action = "update" if new_groups or new_position else "unchanged"
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _users_by_email(emails: set[str]) -> list:
    """Existing users whose e-mail is one of `emails`, compared without case."""
    if not emails:
        return []
    return list(User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails))


def _check_row(
    row: ImportRow, seen_emails: dict[str, int], groups_by_key: dict[str, ContributorGroup]
) -> list[str]:
    """Errors of the row on its own and against the rows above it; fills `row.groups`."""
    errors = []
    if not row.full_name:
        errors.append("Thiếu họ tên.")
    elif len(row.full_name) > NAME_MAX_LENGTH:
        errors.append(f"Họ tên dài quá {NAME_MAX_LENGTH} ký tự.")
    if not row.email:
        errors.append("Thiếu email.")
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(f"Email “{row.email}” không hợp lệ.")
        else:
            if row.email in seen_emails:
                errors.append(
                    f"Email “{row.email}” trùng với dòng {seen_emails[row.email]} của tệp."
                )
            else:
                seen_emails[row.email] = row.line
    if len(row.position) > POSITION_MAX_LENGTH:
        errors.append(f"Chức vụ dài quá {POSITION_MAX_LENGTH} ký tự.")
    for name in row.group_names:
        group = groups_by_key.get(_group_key(name))
        if group is None:
            errors.append(f"Trường không có tổ chức “{name}”.")
        else:
            row.groups.append(group)
    return errors


def import_people(*, school: School, text: str, by_user: AbstractBaseUser) -> ImportPlan:
    """Check the file again and, if every row is good, write it all in one transaction.

    The file is checked anew here, not trusted from the preview: someone may have joined
    another school or a group may have been renamed since. If any row is bad, nothing is
    written and the plan carries the errors.

    New people: an unusable password and an invitation e-mail (sent on commit) with a link to
    set their own, the school's editors group, the named contributor groups.
    Existing people of the school: the named groups are added (none removed), the position set.
    """
    _require_principal(by_user=by_user, school=school)
    try:
        with transaction.atomic():
            plan = plan_people_import(school=school, text=text)
            if not plan.ok:
                return plan
            memberships = []
            for row in plan.rows:
                if row.action == "create":
                    first_name, last_name = split_full_name(row.full_name)
                    user = User(
                        username=row.username,
                        email=row.email,
                        first_name=first_name[:NAME_MAX_LENGTH],
                        last_name=last_name[:NAME_MAX_LENGTH],
                        is_active=True,
                    )
                    user.set_unusable_password()
                    user.save()
                    user.groups.add(school.editors_group_id)
                    # Leaves on commit: a file that fails later invites nobody.
                    send_invitation(
                        user=user,
                        school_name=school.name,
                        base_url=school.site.root_url,
                        role=f"{ROLE_STAFF} của {school.name}",
                    )
                    row.user = user
                elif row.action == "unchanged":
                    continue
                memberships += [
                    ContributorGroup.members.through(contributorgroup_id=g.pk, user_id=row.user.pk)
                    for g in row.groups
                ]
                if row.position:
                    _save_position(user_id=row.user.pk, school=school, position=row.position)
            ContributorGroup.members.through.objects.bulk_create(memberships, ignore_conflicts=True)
    except IntegrityError:
        # Someone took a user name or e-mail at the same moment; nothing was written.
        return ImportPlan(
            errors=[RowError(1, "Dữ liệu vừa thay đổi trong lúc nhập; hãy nhập lại tệp.")]
        )
    plan.imported = True
    return plan
