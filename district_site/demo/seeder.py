"""`seed_demo`: puts the Tam Nông demo (`district_site.demo.data`) into the database.

It builds the district portal (with the 2017 seed letter as a district document) and one school
of every kind, each with its users, contributor groups and realistic Vietnamese content in every
section. Everything goes through the real services (`setup_district_portal`, `provision_school`);
pictures and PDF files are drawn locally (`school_site.drawing`). A second run finds everything
by username, group name or page slug and creates nothing, so `make demo` can be run again safely.

Only runtime packages are used (no factory_boy, no Faker): `make demo` and a production
`seed_demo` need nothing beyond requirements.txt.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, Page

from district_site.demo.data import (
    DEMO_PASSWORD,
    DEMO_SEED,
    DISTRICT_ADMIN,
    DISTRICT_ADMIN_USERNAME,
    DISTRICT_COLLECTION,
    DISTRICT_DOCUMENTS,
    DISTRICT_NAME,
    GROUPS,
    NATIONAL_MOTTO,
    ROLES,
    SCHOOLS,
    SEED_LETTER_DATE,
    SEED_LETTER_NUMBER,
    SEED_LETTER_SIGNER,
    SEED_LETTER_TEXT,
    SEED_LETTER_TITLE,
    SUPERUSER,
    SUPERUSER_USERNAME,
    USERNAME_PREFIX,
    DemoSchool,
    Doc,
    Person,
)
from district_site.demo.report import Account, DemoReport, SiteLink
from district_site.demo.writer import SchoolWriter, escape, letter_html
from district_site.models import DISTRICT_ADMINS_GROUP, School
from district_site.portal import setup_district_portal
from district_site.portal.models import DistrictHomePage
from district_site.provisioning import provision_school
from home.models import SiteBranding
from home.text import vietnamese_slugify
from school_site import defaults
from school_site.drawing import draw_card, draw_emblem, pdf_bytes
from school_site.models import (
    AboutPage,
    BoardPage,
    ContactPage,
    ContributorGroup,
    DocumentIndexPage,
    GalleryIndexPage,
    LectureIndexPage,
    NewsIndexPage,
    OfficialDocumentAttachment,
    OfficialDocumentPage,
    StaffPage,
)
from school_site.seeding import create_document, create_image, publish_new_page


def school_year(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """(first calendar year, first day, last day to date) of the school year to fill.

    A school year opens on 5 September. Until three weeks in there is too little to show, so
    the demo then fills the school year that just ended.
    """
    start_year = today.year if today.month >= 8 else today.year - 1
    opening = datetime.date(start_year, 9, 5)
    if today < opening + datetime.timedelta(days=21):
        start_year -= 1
        opening = datetime.date(start_year, 9, 5)
    end = min(today, datetime.date(start_year + 1, 5, 31))
    return start_year, opening - datetime.timedelta(days=10), end


def seed_demo(*, port: int = 8000, today: datetime.date | None = None) -> DemoReport:
    """Create the demo district once; a second call creates nothing and says so."""
    today = today or timezone.localdate()
    report = DemoReport()
    base = settings.DISTRICT_BASE_DOMAIN
    report.admin_url = f"http://{base}:{port}/admin/"
    report.portal_url = f"http://{base}:{port}/"
    seeder = _Seeder(report, today)
    with transaction.atomic():
        seeder.portal()
        for spec in SCHOOLS:
            school = seeder.school(spec)
            report.sites.append(SiteLink(school.name, f"http://{school.site.hostname}:{port}/"))
    return report


class _Seeder:
    def __init__(self, report: DemoReport, today: datetime.date):
        self.report = report
        self.today = today
        self.start_year, self.span_start, self.span_end = school_year(today)
        # One hash for every demo account: PBKDF2 costs ~0.3 s a call, and every demo user
        # shares the printed password anyway.
        self.password_hash = make_password(DEMO_PASSWORD)

    # -- helpers -------------------------------------------------------------------------------

    def context(self, spec: DemoSchool | None, people: dict | None = None) -> dict[str, str]:
        y1 = self.start_year
        last_month = (self.span_end.replace(day=1) - datetime.timedelta(days=1)).strftime("%m/%Y")
        ctx = {
            "year": f"{y1}–{y1 + 1}",
            "prev_year": f"{y1 - 1}–{y1}",
            "y1": str(y1),
            "teachers_day": str(y1 - 1982),
            "last_month": last_month,
        }
        if spec is not None:
            learners = "trẻ" if spec.preschool else "học sinh"
            ctx |= {
                "school": spec.name,
                "place": spec.place,
                "learners": learners,
                "Learners": learners.capitalize(),
                "parents": f"cha mẹ {learners}",
                "pupils": str(spec.pupils),
                "classes": str(spec.classes),
                "principal": spec.people[0].full_name,
                "principal_title": spec.people[0].honorific,
                "vice": spec.people[1].full_name,
                "t1": spec.people[2].full_name,
            }
        return ctx

    def when(self, rng: random.Random, on: tuple[int, int] | None, taken: set) -> datetime.datetime:
        """A publication time in the school year: the event's day if it has passed, else any
        day so far (never in the future, never twice the same day for a school)."""
        day = None
        if on is not None:
            month, dom = on
            year = self.start_year if month >= 8 else self.start_year + 1
            candidate = datetime.date(year, month, dom)
            if self.span_start <= candidate <= self.span_end:
                day = candidate
        span = (self.span_end - self.span_start).days
        while day is None or (day in taken and on is None):
            day = self.span_start + datetime.timedelta(days=rng.randint(0, span))
        taken.add(day)
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 16), rng.randint(0, 59))
        )
        return timezone.make_aware(moment)

    def user(
        self,
        username: str,
        person: Person,
        *,
        email: str,
        role: str,
        where: str,
        superuser: bool = False,
    ):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                first_name=person.given,
                last_name=person.family,
                email=email,
                password=self.password_hash,
                is_staff=superuser,
                is_superuser=superuser,
            )
            self.report.created["users"] += 1
        self.report.accounts.append(Account(username, person.full_name, role, where, DEMO_PASSWORD))
        return user

    def image(self, title: str, collection, picture, fmt: str = "JPEG", user=None):
        self.report.created["images"] += 1
        return create_image(
            title=title, collection=collection, picture=picture, fmt=fmt, uploaded_by_user=user
        )

    def document(self, title: str, collection, data: bytes, user=None):
        self.report.created["documents"] += 1
        return create_document(title=title, collection=collection, data=data, uploaded_by_user=user)

    def publish(self, parent: Page, page: Page, *, author, publisher, when) -> None:
        # dated_log: the ledger's credit is dated like the post (the trend shows the year's shape).
        publish_new_page(
            parent, page, author=author, publisher=publisher, published_at=when, dated_log=True
        )
        self.report.created["pages"] += 1

    def republish(self, page: Page, user) -> None:
        page.save_revision(user=user, log_action=True).publish(user=user)
        self.report.created["updated"] += 1

    # -- the district portal -------------------------------------------------------------------

    def portal(self) -> None:
        home = setup_district_portal()
        where = DISTRICT_NAME
        self.superuser = self.user(
            SUPERUSER_USERNAME,
            SUPERUSER,
            email=f"admin@{settings.DISTRICT_BASE_DOMAIN}",
            role="Quản trị hệ thống (superuser)",
            where=where,
            superuser=True,
        )
        admin = self.user(
            DISTRICT_ADMIN_USERNAME,
            DISTRICT_ADMIN,
            email=f"{DISTRICT_ADMIN_USERNAME}@tamnong.edu.vn",
            role="Quản trị Phòng GD&ĐT",
            where=where,
        )
        admin.groups.add(Group.objects.get(name=DISTRICT_ADMINS_GROUP))
        self.portal_branding(home)

        root_collection = Collection.get_first_root_node()
        collection = root_collection.get_children().filter(name=DISTRICT_COLLECTION).first()
        if collection is None:
            collection = root_collection.add_child(name=DISTRICT_COLLECTION)
        index = DocumentIndexPage.objects.child_of(home).first()
        slugs = set(index.get_children().values_list("slug", flat=True))
        ctx = self.context(None)
        left = "UBND HUYỆN TAM NÔNG\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO"

        slug = vietnamese_slugify(SEED_LETTER_TITLE)
        if slug not in slugs:
            body = SEED_LETTER_TEXT
            data = pdf_bytes(
                title=f"Công văn số {SEED_LETTER_NUMBER}",
                body=body,
                left_header=left,
                right_header=NATIONAL_MOTTO,
            )
            document = self.document(
                f"Công văn {SEED_LETTER_NUMBER} – {SEED_LETTER_TITLE}", collection, data, admin
            )
            letter_time = timezone.make_aware(
                datetime.datetime.combine(SEED_LETTER_DATE, datetime.time(14, 0))
            )
            page = OfficialDocumentPage(
                title=SEED_LETTER_TITLE,
                slug=slug,
                number=SEED_LETTER_NUMBER,
                issue_date=SEED_LETTER_DATE,
                date=SEED_LETTER_DATE,
                issuing_body=DISTRICT_NAME,
                signer=SEED_LETTER_SIGNER,
                document_kind=Doc.DISPATCH,
                intro=(
                    f"Công văn số {SEED_LETTER_NUMBER} ngày 29/06/2017 của Phòng GD&ĐT Tam Nông "
                    "về việc tăng cường đăng tin, bài trên cổng thông tin điện tử của đơn vị."
                ),
                summary=letter_html(SEED_LETTER_TEXT),
                author=admin,
                attachments=[
                    OfficialDocumentAttachment(
                        document=document, title=f"Công văn {SEED_LETTER_NUMBER} (PDF)"
                    )
                ],
            )
            # Two people for every post (school_site/review.may_publish): the district admin
            # writes, the system administrator publishes.
            self.publish(index, page, author=admin, publisher=self.superuser, when=letter_time)

        rng = random.Random(f"{DEMO_SEED}:portal")
        taken: set = set()
        for n, spec in enumerate(DISTRICT_DOCUMENTS):
            title = spec.title.format(**ctx)
            slug = vietnamese_slugify(title)
            if slug in slugs:
                continue
            when = self.when(rng, (8, 27 + n), taken)
            number = f"{rng.randint(400, 650)}/{spec.code}"
            summary = [p.format(**ctx) for p in spec.summary]
            data = pdf_bytes(
                title=f"{Doc(spec.kind).label.upper()} số {number}",
                body=title + "\n" + "\n".join(summary),
                left_header=left,
                right_header=NATIONAL_MOTTO,
                footer="KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG\n\n\n" + SEED_LETTER_SIGNER,
            )
            document = self.document(f"{number} – {title}", collection, data, admin)
            page = OfficialDocumentPage(
                title=title,
                slug=slug,
                number=number,
                issue_date=when.date(),
                date=when.date(),
                issuing_body=DISTRICT_NAME,
                signer=SEED_LETTER_SIGNER,
                document_kind=spec.kind,
                intro=summary[0][:200],
                summary="".join(f"<p>{escape(p)}</p>" for p in summary),
                author=admin,
                attachments=[OfficialDocumentAttachment(document=document, title=title)],
            )
            self.publish(index, page, author=admin, publisher=self.superuser, when=when)

    def portal_branding(self, home: DistrictHomePage) -> None:
        branding = SiteBranding.objects.filter(site__root_page=home).first()
        if branding is None or branding.logo_id:
            return
        root = Collection.get_first_root_node()
        branding.logo = self.image(
            "Logo Phòng GD&ĐT Tam Nông",
            root,
            draw_emblem("GD&ĐT", "TAM NÔNG", colours=("#8b1a1a", "#f1c232")),
            fmt="PNG",
        )
        branding.address = (
            branding.address or "Khóm 2, thị trấn Tràm Chim, huyện Tam Nông, tỉnh Đồng Tháp"
        )
        branding.phone = branding.phone or "0277 3827 007"
        branding.email = branding.email or "phonggd@tamnong.edu.vn"
        branding.primary_colour = "#8b1a1a"
        branding.accent_colour = "#f1c232"
        branding.save()

    # -- one school ----------------------------------------------------------------------------

    def school(self, spec: DemoSchool) -> School:
        result = provision_school(
            name=spec.name,
            kind=spec.kind,
            hostname=f"{spec.slug}.{settings.DISTRICT_BASE_DOMAIN}",
            address=spec.address,
            short_code=spec.short_code,
        )
        school = result.school
        self.report.created["schools"] += int(result.created)
        rng = random.Random(f"{DEMO_SEED}:{spec.slug}")
        people = self.people(spec, school)
        groups = self.groups(spec, school, people)
        home = school.site.root_page
        collection = school.collection
        colours = defaults.colours(spec.kind)
        ctx = self.context(spec)
        # Each piece of content picks its author from the group it is credited to.
        taken: set = set()
        w = SchoolWriter(self, spec, school, people, groups, rng, ctx, colours, collection, taken)
        self.branding(spec, school, people, colours)
        w.about(AboutPage.objects.child_of(home).first())
        about = AboutPage.objects.child_of(home).first()
        w.board(BoardPage.objects.child_of(about).first())
        w.staff(StaffPage.objects.child_of(about).first())
        w.contact(ContactPage.objects.child_of(home).first())
        w.news(NewsIndexPage.objects.child_of(home).first())
        w.documents(DocumentIndexPage.objects.child_of(home).first())
        w.lectures(LectureIndexPage.objects.child_of(home).first())
        w.galleries(GalleryIndexPage.objects.child_of(home).first())
        return school

    def people(self, spec: DemoSchool, school: School) -> dict:
        people = {}
        for role, person in zip(ROLES, spec.people, strict=False):
            board = role in ("principal", "vice")
            label = {"principal": "Hiệu trưởng (Ban quản trị)", "vice": "Ban quản trị"}.get(
                role, "Giáo viên, nhân viên"
            )
            user = self.user(
                f"{USERNAME_PREFIX[role]}.{spec.login}",
                person,
                email=f"{USERNAME_PREFIX[role]}.{spec.login}@tamnong.edu.vn",
                role=f"{label} – {person.position}",
                where=spec.name,
            )
            user.groups.add(school.board_group if board else school.editors_group)
            people[role] = user
        if school.principal_id is None:
            school.principal = people["principal"]
            school.save(update_fields=["principal", "updated_at"])
        return people

    def groups(self, spec: DemoSchool, school: School, people: dict) -> dict:
        existing = {g.name: g for g in school.contributor_groups.prefetch_related("members")}
        groups: dict[str, list[tuple[ContributorGroup, set[int]]]] = {}
        for gspec in GROUPS[spec.kind]:
            group = existing.get(gspec.name)
            if group is None:
                group = ContributorGroup.objects.create(
                    school=school, name=gspec.name, kind=gspec.kind, leader=people[gspec.leader]
                )
                # A leader always belongs to the group they lead.
                group.members.add(*[people[r] for r in gspec.members if r in people])
                group.members.add(group.leader)
                self.report.created["groups"] += 1
                member_ids = set(group.members.values_list("pk", flat=True))
            else:
                member_ids = {u.pk for u in group.members.all()}
            groups.setdefault(gspec.key, []).append((group, member_ids))
        return groups

    def branding(self, spec: DemoSchool, school: School, people: dict, colours) -> None:
        branding = SiteBranding.objects.get(site=school.site)
        if branding.logo_id:
            return
        initials = "".join(w[0] for w in spec.name.split()[1:] if w[0].isupper())[:5]
        branding.logo = self.image(
            f"Logo {spec.name}",
            school.collection,
            draw_emblem(initials, "TAM NÔNG", colours=colours),
            fmt="PNG",
        )
        branding.banner = self.image(
            f"Ảnh bìa {spec.name}",
            school.collection,
            draw_card(
                spec.name,
                seed=spec.slug,
                colours=colours,
                size=(1200, 320),
                subtitle=spec.address,
            ),
        )
        branding.phone = branding.phone or spec.phone
        branding.email = branding.email or f"{spec.login}@tamnong.edu.vn"
        branding.principal_name = branding.principal_name or spec.people[0].full_name
        branding.address = branding.address or spec.address
        branding.save()
        self.report.created["updated"] += 1
