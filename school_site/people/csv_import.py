"""The staff CSV of a school: parse the file, check every row against the school (the
preview, nothing written), then write it all in one transaction."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from district_site.invitations import send_invitation
from district_site.models import School
from home.csv_upload import RowError
from home.text import split_full_name
from school_site.models import ContributorGroup, StaffProfile
from school_site.people.access import (
    NAME_MAX_LENGTH,
    POSITION_MAX_LENGTH,
    ROLE_STAFF,
    User,
    UserGroups,
    is_protected_account,
    require_principal,
    school_member_filter,
    unique_username,
    username_base,
)
from school_site.people.selectors import school_contributor_groups
from school_site.people.services import save_position

# A school has a few hundred people at most; a bigger file is a mistake, not a staff list.
CSV_MAX_BYTES = 512 * 1024
CSV_MAX_ROWS = 1000
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
# The downloadable template: the Vietnamese header and one example row.
TEMPLATE_HEADER = ("ho_ten", "email", "chuc_vu", "to_chuc")
TEMPLATE_ROW = ("Nguyễn Thị Mai", "mai.nguyen@example.edu.vn", "Giáo viên", "Tổ Toán; Công đoàn")
REQUIRED_COLUMNS = {"full_name": "ho_ten (hoặc full_name)", "email": "email"}


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
    require_principal(by_user=by_user, school=school)
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
                    save_position(user_id=row.user.pk, school=school, position=row.position)
            ContributorGroup.members.through.objects.bulk_create(memberships, ignore_conflicts=True)
    except IntegrityError:
        # Someone took a user name or e-mail at the same moment; nothing was written.
        return ImportPlan(
            errors=[RowError(1, "Dữ liệu vừa thay đổi trong lúc nhập; hãy nhập lại tệp.")]
        )
    plan.imported = True
    return plan
