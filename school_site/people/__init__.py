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

The package: `access.py` (who is who, and the checks every write makes), `selectors.py` (the
listings), `services.py` (adding people, invitations, status, memberships), `csv_import.py`
(the staff CSV: parse, preview, import). Everything is re-exported here, so callers say
`people.add_person(...)`.
"""

from school_site.people.access import (
    NAME_MAX_LENGTH,
    POSITION_MAX_LENGTH,
    ROLE_BOARD,
    ROLE_STAFF,
    USERNAME_MAX_LENGTH,
    PeopleError,
    User,
    UserGroups,
    belongs_to_other_school,
    is_principal_of,
    is_protected_account,
    school_member_filter,
    unique_username,
    username_base,
)
from school_site.people.csv_import import (
    CSV_MAX_BYTES,
    CSV_MAX_ROWS,
    GROUP_SEPARATOR,
    HEADER_ALIASES,
    REQUIRED_COLUMNS,
    TEMPLATE_HEADER,
    TEMPLATE_ROW,
    ImportPlan,
    ImportRow,
    import_people,
    parse_people_csv,
    plan_people_import,
)
from school_site.people.selectors import (
    district_people,
    filter_school_people,
    get_school_person,
    school_contributor_groups,
    school_people,
    schools_by_person,
)
from school_site.people.services import (
    add_person,
    deactivate_user,
    invite_person,
    own_honour_opt_out,
    reactivate_user,
    set_own_honour_opt_out,
    update_membership,
)

__all__ = [
    "CSV_MAX_BYTES",
    "CSV_MAX_ROWS",
    "GROUP_SEPARATOR",
    "HEADER_ALIASES",
    "NAME_MAX_LENGTH",
    "POSITION_MAX_LENGTH",
    "REQUIRED_COLUMNS",
    "ROLE_BOARD",
    "ROLE_STAFF",
    "TEMPLATE_HEADER",
    "TEMPLATE_ROW",
    "USERNAME_MAX_LENGTH",
    "ImportPlan",
    "ImportRow",
    "PeopleError",
    "User",
    "UserGroups",
    "add_person",
    "belongs_to_other_school",
    "deactivate_user",
    "district_people",
    "filter_school_people",
    "get_school_person",
    "import_people",
    "invite_person",
    "is_principal_of",
    "is_protected_account",
    "own_honour_opt_out",
    "parse_people_csv",
    "plan_people_import",
    "reactivate_user",
    "school_contributor_groups",
    "school_member_filter",
    "school_people",
    "schools_by_person",
    "set_own_honour_opt_out",
    "unique_username",
    "update_membership",
    "username_base",
]
