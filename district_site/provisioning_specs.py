"""A school's provisioning input: normalised and checked before anything is written.

`clean_spec` turns what a district admin typed (create form, CSV row, command) into a
`SchoolSpec`, or raises `ProvisioningError` with one Vietnamese line. Split out of
`district_site.provisioning`, which re-exports these names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http.request import validate_host

from district_site.models import School
from home.csv_upload import RowError

_HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


# The school kinds as a district admin types them (CSV, command); the English codes still work.
KIND_ALIASES = {
    "mam_non": School.Kind.PRESCHOOL,
    "tieu_hoc": School.Kind.PRIMARY,
    "thcs": School.Kind.LOWER_SECONDARY,
    "lien_cap": School.Kind.COMBINED,
}


class ProvisioningError(Exception):
    """Bad input or a conflict; the message is one Vietnamese line for the person."""


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    hostname: str
    address: str = ""
    short_code: str = ""
    principal_name: str = ""
    principal_email: str = ""


@dataclass
class CsvValidation:
    specs: list[SchoolSpec] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def clean_spec(
    *,
    name: str,
    kind: str,
    hostname: str,
    address: str = "",
    short_code: str = "",
    principal_name: str = "",
    principal_email: str = "",
) -> SchoolSpec:
    """Normalise and validate one school's input; raise ProvisioningError in Vietnamese."""
    principal_name = " ".join((principal_name or "").split())
    principal_email = (principal_email or "").strip()
    # The principal is optional only as a pair: a name without an e-mail could not be invited.
    if principal_name and not principal_email:
        raise ProvisioningError("Thiếu email của hiệu trưởng.")
    if principal_email and not principal_name:
        raise ProvisioningError("Thiếu họ tên của hiệu trưởng.")
    if principal_email:
        try:
            validate_email(principal_email)
        except ValidationError as exc:
            raise ProvisioningError(f"Email hiệu trưởng “{principal_email}” không hợp lệ.") from exc
        if len(principal_name) > 300:
            raise ProvisioningError("Họ tên hiệu trưởng quá dài.")
    name = " ".join((name or "").split())
    kind = KIND_ALIASES.get((kind or "").strip().lower(), (kind or "").strip())
    hostname = (hostname or "").strip().lower().rstrip(".")
    if not name:
        raise ProvisioningError("Thiếu tên trường.")
    if len(name) > School._meta.get_field("name").max_length:
        raise ProvisioningError("Tên trường quá dài (tối đa 120 ký tự).")
    if kind not in School.Kind.values:
        raise ProvisioningError(
            f"Cấp học “{kind}” không hợp lệ; chọn một trong: {', '.join(KIND_ALIASES)} "
            f"(hoặc {', '.join(School.Kind.values)})."
        )
    if not hostname:
        raise ProvisioningError("Thiếu tên miền.")
    if hostname != settings.DISTRICT_BASE_DOMAIN and not _HOSTNAME_RE.match(hostname):
        raise ProvisioningError(f"Tên miền “{hostname}” không hợp lệ.")
    # The base domain itself is the district portal; a school needs a subdomain that
    # ALLOWED_HOSTS accepts, or it would not be served.
    if hostname == settings.DISTRICT_BASE_DOMAIN or not validate_host(
        hostname, settings.ALLOWED_HOSTS
    ):
        raise ProvisioningError(
            f"Tên miền “{hostname}” phải là tên miền con của {settings.DISTRICT_BASE_DOMAIN}, "
            f"ví dụ: mn-hoasen.{settings.DISTRICT_BASE_DOMAIN}."
        )
    return SchoolSpec(
        name=name,
        kind=kind,
        hostname=hostname,
        address=(address or "").strip(),
        short_code=(short_code or "").strip(),
        principal_name=principal_name,
        principal_email=principal_email,
    )
