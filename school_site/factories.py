"""Factories for a school's content: pages, contributor groups, images and documents.

Used by the tests and by `seed_demo`. Everything is generated on this machine: images and PDF
files are drawn with Pillow in memory, so seeding needs no network and no fixture files.
Pages are created as drafts, then a revision by the author is published by a board member, so
each demo page has the same history a real one would have.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random
import textwrap
import unicodedata
from functools import lru_cache
from pathlib import Path

import factory
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.log_actions import log
from wagtail.models import Collection, Page

from home.text import vietnamese_slugify
from school_site.models import (
    ContributorGroup,
    GalleryImage,
    GalleryPage,
    LectureAttachment,
    LecturePage,
    NewsPage,
    OfficialDocumentAttachment,
    OfficialDocumentPage,
)

# ---------------------------------------------------------------------------------------------
# Drawing: fonts, images, PDF pages
# ---------------------------------------------------------------------------------------------

# Fonts with Vietnamese glyphs on common systems. Pillow's built-in font lacks many of them, so
# without one of these the text drawn into images loses its accents (it stays readable).
_FONT_CANDIDATES = {
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
        "/Library/Fonts/Arial Unicode.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
    ),
}


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = False) -> tuple[ImageFont.ImageFont, bool]:
    """A font of `size` px and whether it can draw Vietnamese letters."""
    for candidate in _FONT_CANDIDATES[bold] + _FONT_CANDIDATES[False]:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size), True
    return ImageFont.load_default(size=size), False


def _drawable(text: str, vietnamese_ok: bool) -> str:
    if vietnamese_ok:
        return text
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def _wrap(text: str, font: ImageFont.ImageFont, width: int) -> list[str]:
    """Greedy word wrap measured in pixels."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}".strip()
            if current and font.getlength(trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def draw_scene(
    caption: str,
    *,
    seed: str,
    colours: tuple[str, str] = ("#0b5394", "#e69138"),
    size: tuple[int, int] = (800, 500),
) -> PILImage.Image:
    """A colourful placeholder photo: sky gradient, sun, fields, flags, figures and a caption.

    Drawn at 800x500 (the layout is in those pixels) and resized when `size` differs."""
    rng = random.Random(seed)
    width, height = 800, 500
    primary, accent = _hex(colours[0]), _hex(colours[1])
    sky_top = _mix(primary, (255, 255, 255), 0.35 + rng.random() * 0.2)
    sky_bottom = _mix(accent, (255, 255, 255), 0.6)
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    horizon = int(height * (0.55 + rng.random() * 0.1))
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, y / horizon))
    sun_x, sun_r = rng.randint(width // 5, width - width // 5), rng.randint(30, 55)
    draw.ellipse(
        [sun_x - sun_r, 40, sun_x + sun_r, 40 + 2 * sun_r], fill=_mix(accent, (255, 230, 90), 0.6)
    )
    # Fields of the Mekong delta: green bands with a blue canal.
    draw.rectangle([0, horizon, width, height], fill=(86, 160, 72))
    draw.polygon(
        [(0, height - 40), (width, horizon + 30), (width, horizon + 55), (0, height)],
        fill=(70, 140, 200),
    )
    for _ in range(rng.randint(3, 6)):  # trees
        x, h = rng.randint(0, width), rng.randint(50, 110)
        draw.rectangle([x - 4, horizon - h // 2, x + 4, horizon + 5], fill=(110, 80, 50))
        draw.ellipse([x - 30, horizon - h, x + 30, horizon - h // 2 + 10], fill=(40, 120, 60))
    # A school building with a flag.
    bx = rng.randint(40, width - 340)
    draw.rectangle([bx, horizon - 120, bx + 300, horizon + 10], fill=(250, 240, 215))
    draw.polygon(
        [(bx - 15, horizon - 120), (bx + 150, horizon - 175), (bx + 315, horizon - 120)],
        fill=_mix(primary, (0, 0, 0), 0.15),
    )
    for i in range(5):
        wx = bx + 20 + i * 56
        draw.rectangle(
            [wx, horizon - 90, wx + 34, horizon - 50], fill=_mix(primary, (255,) * 3, 0.5)
        )
    draw.line([(bx + 150, horizon - 175), (bx + 150, horizon - 250)], fill=(90, 90, 90), width=4)
    draw.rectangle([bx + 152, horizon - 250, bx + 212, horizon - 212], fill=(218, 37, 29))
    draw.regular_polygon((bx + 182, horizon - 231, 11), 5, fill=(255, 222, 0))
    for _ in range(rng.randint(4, 9)):  # pupils in uniforms
        x = rng.randint(10, width - 20)
        y = rng.randint(horizon + 30, height - 110)
        shirt = rng.choice([(255, 255, 255), _mix(primary, (255,) * 3, 0.3), accent])
        draw.ellipse([x - 9, y - 30, x + 9, y - 12], fill=(240, 200, 160))
        draw.rectangle([x - 12, y - 12, x + 12, y + 18], fill=shirt)
        draw.rectangle([x - 10, y + 18, x + 10, y + 40], fill=(30, 50, 110))
    # Caption band.
    font, ok = _font(26, bold=True)
    lines = _wrap(_drawable(caption, ok), font, width - 60)[:2]
    band = 24 + 34 * len(lines)
    overlay = PILImage.new("RGBA", (width, band), (*_mix(primary, (0, 0, 0), 0.35), 200))
    image.paste(overlay, (0, height - band), overlay)
    for i, line in enumerate(lines):
        draw.text((30, height - band + 12 + 34 * i), line, font=font, fill=(255, 255, 255))
    if size != (width, height):
        image = image.resize(size, PILImage.Resampling.LANCZOS)
    return image


def draw_card(
    text: str,
    *,
    seed: str,
    colours: tuple[str, str] = ("#0b5394", "#e69138"),
    size: tuple[int, int] = (800, 500),
    subtitle: str = "",
) -> PILImage.Image:
    """A title card for news and banners: diagonal stripes, circles and large wrapped text."""
    rng = random.Random(seed)
    width, height = size
    primary, accent = _hex(colours[0]), _hex(colours[1])
    image = PILImage.new("RGB", size, _mix(primary, (255, 255, 255), 0.1))
    draw = ImageDraw.Draw(image)
    for i in range(-height, width, 60):
        draw.line([(i, height), (i + height, 0)], fill=_mix(primary, (255,) * 3, 0.2), width=18)
    for _ in range(rng.randint(3, 6)):
        r = rng.randint(30, 120)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse(
            [x - r, y - r, x + r, y + r], fill=_mix(accent, (255,) * 3, rng.random() * 0.5)
        )
    draw.rectangle([0, 0, 16, height], fill=accent)
    font, ok = _font(max(20, min(44, height // 9)), bold=True)
    lines = _wrap(_drawable(text, ok), font, width - 100)[:4]
    line_height = int(font.size * 1.3)
    top = (height - line_height * len(lines)) // 2 - (20 if subtitle else 0)
    for i, line in enumerate(lines):
        draw.text((52, top + i * line_height + 2), line, font=font, fill=(0, 0, 0))
        draw.text((50, top + i * line_height), line, font=font, fill=(255, 255, 255))
    if subtitle:
        small, ok = _font(max(14, font.size // 2))
        draw.text(
            (50, top + len(lines) * line_height + 10),
            _drawable(subtitle, ok),
            font=small,
            fill=(255, 255, 230),
        )
    return image


def draw_avatar(name: str, *, colour: str = "#0b5394", size: int = 240) -> PILImage.Image:
    """A portrait placeholder: initials of the given name on a coloured disc."""
    base = _hex(colour)
    image = PILImage.new("RGB", (size, size), _mix(base, (255, 255, 255), 0.85))
    draw = ImageDraw.Draw(image)
    draw.ellipse([8, 8, size - 8, size - 8], fill=base)
    words = name.split()
    initials = (words[0][0] + words[-1][0]).upper() if len(words) > 1 else name[:2].upper()
    font, ok = _font(size // 3, bold=True)
    draw.text((size / 2, size / 2), _drawable(initials, ok), font=font, fill="white", anchor="mm")
    return image


def draw_emblem(initials: str, caption: str, *, colours: tuple[str, str]) -> PILImage.Image:
    """A round school logo: a ring with the initials and an open book."""
    size = 320
    primary, accent = _hex(colours[0]), _hex(colours[1])
    image = PILImage.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse([4, 4, size - 4, size - 4], fill=primary)
    draw.ellipse([28, 28, size - 28, size - 28], fill=(255, 255, 255))
    draw.polygon([(80, 190), (160, 210), (160, 250), (80, 230)], fill=accent)
    draw.polygon([(240, 190), (160, 210), (160, 250), (240, 230)], fill=_mix(accent, primary, 0.3))
    font, ok = _font(64, bold=True)
    draw.text((size / 2, 130), _drawable(initials, ok), font=font, fill=primary, anchor="mm")
    small, ok = _font(18, bold=True)
    draw.text((size / 2, 275), _drawable(caption, ok), font=small, fill=primary, anchor="mm")
    return image


def image_bytes(image: PILImage.Image, fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
    else:
        image.save(buffer, fmt, optimize=True)
    return buffer.getvalue()


# A4 at 100 dpi: sharp enough to read, small enough (tens of kB) to seed dozens quickly.
PDF_PAGE_SIZE = (827, 1169)
PDF_MARGIN = 80


def pdf_bytes(
    *, title: str, body: str, left_header: str = "", right_header: str = "", footer: str = ""
) -> bytes:
    """A text document laid out like a Vietnamese official letter, saved as PDF by Pillow."""
    width, height = PDF_PAGE_SIZE
    text_font, ok = _font(17)
    bold_font, _ = _font(17, bold=True)
    title_font, _ = _font(21, bold=True)
    content_width = width - 2 * PDF_MARGIN
    pages: list[PILImage.Image] = []

    def new_page() -> tuple[PILImage.Image, ImageDraw.ImageDraw]:
        page = PILImage.new("L", PDF_PAGE_SIZE, 255)
        pages.append(page)
        return page, ImageDraw.Draw(page)

    _, draw = new_page()
    y = PDF_MARGIN
    if left_header or right_header:
        header_font, _ = _font(14, bold=True)
        for x, header in (
            (PDF_MARGIN + 130, left_header),
            (width - PDF_MARGIN - 180, right_header),
        ):
            for i, line in enumerate(_drawable(header, ok).split("\n")):
                draw.text((x, y + 22 * i), line, font=header_font, fill=0, anchor="ma")
        y += 22 * max(left_header.count("\n"), right_header.count("\n")) + 80
    for line in _wrap(_drawable(title, ok), title_font, content_width):
        draw.text((width / 2, y), line, font=title_font, fill=0, anchor="ma")
        y += 30
    y += 20
    for line in _wrap(_drawable(body, ok), text_font, content_width):
        if y > height - PDF_MARGIN - 40:
            _, draw = new_page()
            y = PDF_MARGIN
        draw.text((PDF_MARGIN, y), line, font=text_font, fill=0)
        y += 26
    if footer:
        y += 30
        for line in _drawable(footer, ok).split("\n"):
            if y > height - PDF_MARGIN:
                _, draw = new_page()
                y = PDF_MARGIN
            draw.text((width - PDF_MARGIN - 200, y), line, font=bold_font, fill=0, anchor="ma")
            y += 26
    # Bilevel pages keep a text PDF small (tens of kB instead of hundreds).
    pages = [page.convert("1", dither=PILImage.Dither.NONE) for page in pages]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=100, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def text_file_bytes(*, title: str, body: str) -> bytes:
    underline = "=" * min(len(title), 78)
    wrapped = "\n\n".join(textwrap.fill(p, 78) for p in body.split("\n") if p.strip())
    return f"{title}\n{underline}\n\n{wrapped}\n".encode()


def _file_name(title: str, extension: str) -> str:
    return f"{(vietnamese_slugify(title) or 'tep')[:60]}.{extension}"


# ---------------------------------------------------------------------------------------------
# Images and documents
# ---------------------------------------------------------------------------------------------


def create_image(
    *,
    title: str,
    collection,
    picture: PILImage.Image,
    fmt: str = "JPEG",
    uploaded_by_user=None,
) -> Image:
    """Store a Pillow image as a Wagtail image in `collection` (the school's own)."""
    data = image_bytes(picture, fmt)
    extension = "png" if fmt == "PNG" else "jpg"
    image = Image(
        title=title,
        collection=collection,
        uploaded_by_user=uploaded_by_user,
        file=ImageFile(io.BytesIO(data), name=_file_name(title, extension)),
        file_size=len(data),
        # Wagtail's upload form fills these; set them here, as it would (sha1 of the bytes).
        file_hash=hashlib.sha1(data).hexdigest(),
    )
    image.save()
    return image


def create_document(
    *, title: str, collection, data: bytes, extension: str = "pdf", uploaded_by_user=None
) -> Document:
    """Store generated bytes as a Wagtail document in `collection`."""
    document = Document(
        title=title,
        collection=collection,
        uploaded_by_user=uploaded_by_user,
        file=ContentFile(data, name=_file_name(title, extension)),
        file_size=len(data),
        file_hash=hashlib.sha1(data).hexdigest(),
    )
    document.save()
    return document


class ImageFactory(factory.django.DjangoModelFactory):
    """A generated JPEG in a collection: `ImageFactory(collection=school.collection)`."""

    class Meta:
        model = Image

    title = factory.Sequence(lambda n: f"Ảnh hoạt động {n}")
    collection = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        collection = kwargs.get("collection")
        if collection is None:
            collection = Collection.get_first_root_node()
        picture = kwargs.get("picture") or draw_scene(
            kwargs["title"],
            seed=kwargs["title"],
            colours=kwargs.get("colours", ("#0b5394", "#e69138")),
            size=(400, 250),
        )
        return create_image(
            title=kwargs["title"],
            collection=collection,
            picture=picture,
            uploaded_by_user=kwargs.get("uploaded_by_user"),
        )


class DocumentFactory(factory.django.DjangoModelFactory):
    """A generated PDF in a collection: `DocumentFactory(collection=school.collection)`."""

    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Văn bản số {n}")
    collection = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        collection = kwargs.get("collection") or Collection.get_first_root_node()
        data = kwargs.get("data") or pdf_bytes(
            title=kwargs["title"], body="Tài liệu mẫu được tạo tự động."
        )
        return create_document(
            title=kwargs["title"],
            collection=collection,
            data=data,
            uploaded_by_user=kwargs.get("uploaded_by_user"),
        )


# ---------------------------------------------------------------------------------------------
# Contributor groups
# ---------------------------------------------------------------------------------------------


class ContributorGroupFactory(factory.django.DjangoModelFactory):
    """`ContributorGroupFactory(school=s, name="Tổ Toán", members=[u1, u2], leader=u1)`."""

    class Meta:
        model = ContributorGroup
        django_get_or_create = ("school", "name")
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tổ chuyên môn {n}")
    kind = ContributorGroup.Kind.PROFESSIONAL

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)
        # A leader always belongs to the group they lead.
        if create and self.leader_id:
            self.members.add(self.leader_id)


# ---------------------------------------------------------------------------------------------
# Content pages
# ---------------------------------------------------------------------------------------------


def publish_new_page(
    parent: Page,
    page: Page,
    *,
    author=None,
    publisher=None,
    published_at: datetime.datetime | None = None,
) -> Page:
    """Add `page` under `parent` as a draft, save the author's revision, publish it as `publisher`.

    Going through a revision (not `live=True` on insert) gives the page the history a real
    one has: created by the author, published by a board member. `published_at` back-dates
    `first_published_at` so listings ordered by publication look like a school year's work.
    """
    page.live = False
    page.owner = author
    if published_at is not None:
        page.first_published_at = published_at
    parent.add_child(instance=page)
    log(instance=page, action="wagtail.create", user=author)
    revision = page.save_revision(user=author, log_action=True)
    revision.publish(user=publisher or author)
    page.live = True
    return page


class ContentPageFactory(factory.django.DjangoModelFactory):
    """Base of the content page factories. Pass `parent=` (the section index page), `author=`,
    and optionally `publisher=` (a board member) and `published_at=`."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Tin hoạt động số {n}")
    slug = factory.LazyAttribute(lambda o: vietnamese_slugify(o.title))
    intro = "Bài viết được tạo tự động để minh hoạ."
    date = factory.LazyFunction(timezone.localdate)
    author = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        parent = kwargs.pop("parent")
        publisher = kwargs.pop("publisher", None)
        published_at = kwargs.pop("published_at", None)
        page = model_class(*args, **kwargs)
        return publish_new_page(
            parent,
            page,
            author=kwargs.get("author"),
            publisher=publisher,
            published_at=published_at,
        )


class NewsPageFactory(ContentPageFactory):
    class Meta:
        model = NewsPage

    category = NewsPage.Category.SCHOOL_NEWS
    body = factory.LazyAttribute(lambda o: [("paragraph", f"<p>{o.intro}</p>")])


class OfficialDocumentPageFactory(ContentPageFactory):
    """Pass `attachments=[OfficialDocumentAttachment(document=doc)]` to attach files."""

    class Meta:
        model = OfficialDocumentPage

    title = factory.Sequence(lambda n: f"Kế hoạch số {n}")
    number = factory.Sequence(lambda n: f"{n + 1}/KH-TH")
    document_kind = OfficialDocumentPage.Kind.PLAN
    issue_date = factory.LazyFunction(timezone.localdate)
    summary = factory.LazyAttribute(lambda o: f"<p>{o.intro}</p>")


class LecturePageFactory(ContentPageFactory):
    """Pass `attachments=[LectureAttachment(document=doc)]` to attach files."""

    class Meta:
        model = LecturePage

    title = factory.Sequence(lambda n: f"Bài giảng số {n}")
    subject = LecturePage.Subject.MATHS
    grade = LecturePage.Grade.GRADE_1
    body = factory.LazyAttribute(lambda o: [("paragraph", f"<p>{o.intro}</p>")])


class GalleryPageFactory(ContentPageFactory):
    """Pass `images=[GalleryImage(image=img, caption="…")]`; a gallery needs one at least."""

    class Meta:
        model = GalleryPage

    title = factory.Sequence(lambda n: f"Album ảnh số {n}")


__all__ = [
    "ContentPageFactory",
    "ContributorGroupFactory",
    "DocumentFactory",
    "GalleryImage",
    "GalleryPageFactory",
    "ImageFactory",
    "LectureAttachment",
    "LecturePageFactory",
    "NewsPageFactory",
    "OfficialDocumentAttachment",
    "OfficialDocumentPageFactory",
    "create_document",
    "create_image",
    "draw_avatar",
    "draw_card",
    "draw_emblem",
    "draw_scene",
    "pdf_bytes",
    "publish_new_page",
    "text_file_bytes",
]
