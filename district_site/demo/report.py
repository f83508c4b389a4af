"""What `seed_demo` did, for the command to print: counts, accounts and the sites' addresses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str
    where: str
    password: str


@dataclass(frozen=True)
class SiteLink:
    name: str
    url: str


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    accounts: list[Account] = field(default_factory=list)
    sites: list[SiteLink] = field(default_factory=list)
    admin_url: str = ""
    portal_url: str = ""

    @property
    def changed(self) -> bool:
        return any(self.created.values())


# Human names of the report's counters, in print order.
COUNTER_LABELS = {
    "schools": "trường",
    "users": "tài khoản",
    "groups": "tổ chức",
    "pages": "trang nội dung",
    "updated": "trang được bổ sung nội dung",
    "images": "ảnh",
    "documents": "tệp",
}
