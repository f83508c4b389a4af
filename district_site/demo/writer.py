"""Writes one demo school's sections (about, board, staff, contact, news, documents, lectures,
albums) from `district_site.demo.data`, for `district_site.demo.seeder`."""

from __future__ import annotations

import random
import re

from wagtail.models import Page

from district_site.demo.data import (
    DEMO_SEED,
    DOCUMENTS,
    EXTRA_STAFF,
    GALLERIES,
    LECTURES,
    NATIONAL_MOTTO,
    NEWS,
    STAFF_FAMILY_NAMES,
    STAFF_GIVEN_NAMES_F,
    STAFF_GIVEN_NAMES_M,
    STAFF_MIDDLE_NAMES_F,
    STAFF_MIDDLE_NAMES_M,
    Cat,
    NewsSpec,
)
from home.text import display_name, vietnamese_slugify
from school_site.drawing import draw_avatar, draw_card, draw_scene, pdf_bytes
from school_site.models import (
    AboutPage,
    BoardMember,
    BoardPage,
    ContactPage,
    DocumentIndexPage,
    GalleryImage,
    GalleryIndexPage,
    GalleryPage,
    LectureAttachment,
    LectureIndexPage,
    LecturePage,
    NewsIndexPage,
    NewsPage,
    OfficialDocumentAttachment,
    OfficialDocumentPage,
    StaffMember,
    StaffPage,
)


def letter_html(text: str) -> str:
    """Plain letter text to the rich text the summary field allows (p, ul, b)."""
    html: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        elif all(line == line.upper() for line in lines):
            html.append(f"<p><b>{'<br/>'.join(escape(line) for line in lines)}</b></p>")
        else:
            html.append(f"<p>{'<br/>'.join(escape(line) for line in lines)}</p>")
    return "".join(html)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------------------------------------


class SchoolWriter:
    """Writes one school's sections. Kept apart from the seeder so each method reads short."""

    def __init__(self, seeder, spec, school, people, groups, rng, ctx, colours, collection, taken):
        self.seeder = seeder
        self.spec = spec
        self.school = school
        self.people = people
        self.groups = groups
        self.rng = rng
        self.ctx = ctx
        self.colours = colours
        self.collection = collection
        self.taken = taken

    def fmt(self, text: str) -> str:
        return text.format(**self.ctx)

    def credit(self, key: str | None):
        """(author, group) for content credited to the group `key`, or to nobody."""
        options = self.groups.get(key or "") or (self.groups.get("pro") if key else None)
        if not options:
            role = self.rng.choice(("vice", "t1", "t2", "t3"))
            return self.people.get(role, self.people["t1"]), None
        group, member_ids = self.rng.choice(options)
        users = [u for u in self.people.values() if u.pk in member_ids]
        if not users:  # someone emptied the group in the admin: credit nobody
            return self.people["t1"], None
        return self.rng.choice(users), group

    def publisher(self, author):
        """A board member other than the author: nobody approves their own post."""
        principal = self.people["principal"]
        return self.people["vice"] if author.pk == principal.pk else principal

    def schedule(self, items: list, days: list) -> list:
        """[(publication time, item)], oldest first; `days` holds each item's (month, day) or
        None. The times are drawn in the items' order, so the seed gives the same dates."""
        times = [self.seeder.when(self.rng, day, self.taken) for day in days]
        return sorted(zip(times, items, strict=True), key=lambda pair: pair[0])

    def existing_slugs(self, index: Page) -> set[str]:
        return set(index.get_children().values_list("slug", flat=True))

    # -- fixed pages ---------------------------------------------------------------------------

    def about(self, about: AboutPage) -> None:
        if len(about.body) > 1:
            return
        spec = self.spec
        learners = self.ctx["learners"]
        blocks = [(block.block_type, block.value) for block in about.body]
        blocks.append(
            (
                "paragraph",
                f"<h2>Lịch sử hình thành</h2><p>{spec.name} được thành lập năm {spec.founded}, "
                f"đóng trên địa bàn {spec.place}, huyện Tam Nông, tỉnh Đồng Tháp. Qua nhiều năm "
                "xây dựng và phát triển, nhà trường luôn nhận được sự quan tâm của chính quyền địa "
                f"phương và sự đồng hành của cha mẹ {learners}.</p>"
                "<h2>Sứ mệnh</h2><p>Xây dựng môi trường học tập thân thiện, an toàn, nơi mỗi "
                f"{'trẻ được yêu thương, chăm sóc và phát triển toàn diện' if spec.preschool else 'học sinh được phát triển phẩm chất và năng lực'}.</p>",
            )
        )
        blocks.append(
            (
                "table",
                {
                    "data": [
                        ["Nội dung", f"Năm học {self.ctx['year']}"],
                        ["Số lớp", str(spec.classes)],
                        [f"Số {learners}", str(spec.pupils)],
                        ["Cán bộ, giáo viên, nhân viên", str(len(spec.people) + 4 + spec.classes)],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Quy mô trường lớp",
                },
            )
        )
        about.body = blocks
        self.seeder.republish(about, self.people["principal"])

    def board(self, page: BoardPage) -> None:
        if page.members.exists():
            return
        duties = {
            "principal": (
                "Hiệu trưởng – Trưởng ban",
                "Phụ trách chung; duyệt nội dung trước khi đăng; quản lý tài khoản, phân quyền và bảng điểm thi đua.",
            ),
            "vice": (
                "Phó Hiệu trưởng – Phó Trưởng ban",
                "Kiểm duyệt tin, bài của các tổ chuyên môn, tổ chức đoàn thể; phụ trách chuyên mục văn bản, bài giảng.",
            ),
            "t1": (
                "Giáo viên – Thành viên",
                "Thu thập tin, ảnh hoạt động; hướng dẫn giáo viên, nhân viên viết và gửi duyệt tin, bài.",
            ),
        }
        page.members = [
            BoardMember(
                name=display_name(self.people[role]),
                user=self.people[role],
                position=position,
                duties=duty,
            )
            for role, (position, duty) in duties.items()
        ]
        self.seeder.republish(page, self.people["principal"])

    def staff(self, page: StaffPage) -> None:
        if page.staff.exists():
            return
        members = [(person.full_name, person.position) for person in self.spec.people]
        rng = random.Random(f"{DEMO_SEED}:{self.spec.slug}:staff")
        for position in EXTRA_STAFF[self.spec.preschool]:
            female = self.spec.preschool or rng.random() < 0.6
            middle = rng.choice(STAFF_MIDDLE_NAMES_F if female else STAFF_MIDDLE_NAMES_M)
            given = rng.choice(STAFF_GIVEN_NAMES_F if female else STAFF_GIVEN_NAMES_M)
            members.append((f"{rng.choice(STAFF_FAMILY_NAMES)} {middle} {given}", position))
        page.intro = f"<p>Đội ngũ cán bộ, giáo viên, nhân viên {self.spec.name} năm học {self.ctx['year']}.</p>"
        page.staff = [
            StaffMember(
                name=name,
                position=position,
                photo=self.seeder.image(
                    f"Ảnh {name}", self.collection, draw_avatar(name, colour=self.colours[0])
                ),
            )
            for name, position in members
        ]
        self.seeder.republish(page, self.people["principal"])

    def contact(self, page: ContactPage) -> None:
        if page.body:
            return
        spec = self.spec
        page.body = [
            (
                "paragraph",
                f"<h2>{spec.name}</h2>"
                f"<p><b>Địa chỉ:</b> {spec.address}<br/><b>Điện thoại:</b> {spec.phone}<br/>"
                f"<b>Thư điện tử:</b> {spec.login}@tamnong.edu.vn</p>"
                "<p><b>Giờ làm việc:</b> sáng từ 7 giờ đến 11 giờ, chiều từ 13 giờ 30 đến 17 giờ, "
                "từ thứ Hai đến thứ Sáu.</p>"
                f"<p>Quý cha mẹ {self.ctx['learners']} cần liên hệ về tuyển sinh, học tập, xin "
                "vui lòng gặp giáo viên chủ nhiệm hoặc văn phòng nhà trường.</p>",
            )
        ]
        page.map_url = "https://www.google.com/maps/search/?api=1&query=" + spec.address.replace(
            " ", "+"
        ).replace(",", "%2C")
        self.seeder.republish(page, self.people["principal"])

    # -- content sections ----------------------------------------------------------------------

    def news(self, index: NewsIndexPage) -> None:
        rng = self.rng
        pool = [n for n in NEWS if self.spec.kind in n.kinds]
        by_category: dict[str, list[NewsSpec]] = {}
        for item in pool:
            by_category.setdefault(item.category, []).append(item)
        chosen = [rng.choice(items) for items in by_category.values()]
        rest = [n for n in pool if n not in chosen]
        chosen += rng.sample(rest, k=min(len(rest), rng.randint(7, 9) - len(chosen)))
        slugs = self.existing_slugs(index)
        planned = self.schedule(chosen, [item.on for item in chosen])
        for when, item in planned:
            title = self.fmt(item.title)
            slug = vietnamese_slugify(title)
            author, group = self.credit(item.group)
            if slug in slugs:
                continue
            intro = self.fmt(item.intro)
            if item.category == Cat.SCHOOL_NEWS:
                picture = draw_scene(title, seed=f"{self.spec.slug}:{slug}", colours=self.colours)
            else:
                picture = draw_card(
                    title,
                    seed=f"{self.spec.slug}:{slug}",
                    colours=self.colours,
                    subtitle=self.spec.name,
                )
            image = self.seeder.image(title, self.collection, picture, user=author)
            body: list = [
                ("paragraph", "".join(f"<p>{self.fmt(p)}</p>" for p in item.paragraphs[:1]))
            ]
            if item.category == Cat.SCHOOL_NEWS:
                body.append(("image", {"image": image, "caption": title}))
            body.append(
                ("paragraph", "".join(f"<p>{self.fmt(p)}</p>" for p in item.paragraphs[1:]))
            )
            if item.quote:
                body.append(("quote", {"text": item.quote[0], "source": item.quote[1]}))
            page = NewsPage(
                title=title,
                slug=slug,
                category=item.category,
                date=when.date(),
                intro=intro,
                feed_image=image,
                body=body,
                author=author,
                contributor_group=group,
            )
            self.seeder.publish(
                index, page, author=author, publisher=self.publisher(author), when=when
            )

    def documents(self, index: DocumentIndexPage) -> None:
        rng = self.rng
        fixed = list(DOCUMENTS[:2])
        rest = list(DOCUMENTS[2:])
        chosen = fixed + rng.sample(rest, k=rng.randint(1, 3))
        slugs = self.existing_slugs(index)
        # The first two (the board's decision and the year's plan) are issued in early September.
        planned = self.schedule(chosen, [(9, 8 + n) if n < 2 else None for n in range(len(chosen))])
        number = rng.randint(12, 40)
        for when, item in planned:
            number += rng.randint(3, 25)
            title = self.fmt(item.title)
            slug = vietnamese_slugify(title)
            if item.author in self.people:
                author, group = self.people[item.author], None
            else:
                author, group = self.credit(item.author)
            if item.signer == "union":
                leader = self.groups["union"][0][0].leader or self.people["t1"]
                signer = display_name(leader)
                sign_as = "TM. BAN CHẤP HÀNH\nCHỦ TỊCH"
            elif item.signer == "vice":
                signer = display_name(self.people["vice"])
                sign_as = "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG"
            else:
                signer = display_name(self.people["principal"])
                sign_as = "HIỆU TRƯỞNG"
            if slug in slugs:
                continue
            code = f"{number}/{item.code}-{self.spec.short_code}"
            summary = [self.fmt(p) for p in item.summary]
            issuing_body = self.fmt(item.body_name)
            data = pdf_bytes(
                title=title.upper() if len(title) < 40 else title,
                body=f"Số: {code}\n{self.spec.place.capitalize()}, ngày {when:%d} tháng {when.month} năm {when.year}\n\n"
                + "\n".join(summary),
                left_header=f"PHÒNG GD&ĐT TAM NÔNG\n{issuing_body.upper()}",
                right_header=NATIONAL_MOTTO,
                footer=f"{sign_as}\n\n\n{signer}",
            )
            document = self.seeder.document(f"{code} – {title}", self.collection, data, author)
            page = OfficialDocumentPage(
                title=title,
                slug=slug,
                number=code,
                issue_date=when.date(),
                date=when.date(),
                issuing_body=issuing_body,
                signer=signer,
                document_kind=item.kind,
                intro=summary[0],
                summary="".join(f"<p>{escape(p)}</p>" for p in summary),
                author=author,
                contributor_group=group,
                attachments=[OfficialDocumentAttachment(document=document, title=f"{code} (PDF)")],
            )
            self.seeder.publish(
                index, page, author=author, publisher=self.publisher(author), when=when
            )

    def lectures(self, index: LectureIndexPage) -> None:
        rng = self.rng
        pool = LECTURES[self.spec.kind]
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(3, 4)))
        slugs = self.existing_slugs(index)
        planned = self.schedule(chosen, [None] * len(chosen))
        for when, item in planned:
            slug = vietnamese_slugify(item.title)
            author, group = self.credit("pro")
            if slug in slugs:
                continue
            grade = LecturePage.Grade(item.grade).label
            kind = "Kế hoạch hoạt động" if self.spec.preschool else "Kế hoạch bài dạy"
            data = pdf_bytes(
                title=f"{kind.upper()}\n{item.title}",
                body=f"{grade} – Giáo viên: {display_name(author)}\n\nI. MỤC TIÊU\n"
                + "\n".join(f"- {g}." for g in item.goals)
                + "\n\nII. TIẾN TRÌNH\n"
                + "\n".join(f"{n}. {s}." for n, s in enumerate(item.steps, 1)),
                left_header=f"PHÒNG GD&ĐT TAM NÔNG\n{self.spec.name.upper()}",
            )
            document = self.seeder.document(f"{kind} – {item.title}", self.collection, data, author)
            goals = "".join(f"<li>{g}.</li>" for g in item.goals)
            steps = "".join(f"<li>{s}.</li>" for s in item.steps)
            page = LecturePage(
                title=item.title,
                slug=slug,
                subject=item.subject,
                grade=item.grade,
                date=when.date(),
                intro=item.intro,
                body=[
                    (
                        "paragraph",
                        f"<h2>Mục tiêu</h2><ul>{goals}</ul><h2>Tiến trình</h2><ol>{steps}</ol>",
                    ),
                    ("document", {"document": document, "title": f"Tải {kind.lower()} (PDF)"}),
                ],
                author=author,
                contributor_group=group,
                attachments=[LectureAttachment(document=document, title=f"{kind} (PDF)")],
            )
            self.seeder.publish(
                index, page, author=author, publisher=self.publisher(author), when=when
            )

    def galleries(self, index: GalleryIndexPage) -> None:
        rng = self.rng
        pool = [g for g in GALLERIES if self.spec.kind in g.kinds]
        chosen = [pool[0]] + rng.sample(pool[1:], k=rng.randint(1, 2))
        slugs = self.existing_slugs(index)
        planned = self.schedule(chosen, [item.on for item in chosen])
        for when, item in planned:
            title = self.fmt(item.title)
            slug = vietnamese_slugify(title)
            author, group = self.credit(item.group)
            if slug in slugs:
                continue
            captions = [self.fmt(c) for c in item.captions][: rng.randint(3, 5)]
            images = [
                self.seeder.image(
                    f"{title} – {caption}",
                    self.collection,
                    draw_scene(caption, seed=f"{self.spec.slug}:{slug}:{n}", colours=self.colours),
                    user=author,
                )
                for n, caption in enumerate(captions)
            ]
            page = GalleryPage(
                title=title,
                slug=slug,
                date=when.date(),
                intro=self.fmt(item.intro),
                feed_image=images[0],
                images=[
                    GalleryImage(image=image, caption=caption)
                    for image, caption in zip(images, captions, strict=True)
                ],
                author=author,
                contributor_group=group,
            )
            self.seeder.publish(
                index, page, author=author, publisher=self.publisher(author), when=when
            )
