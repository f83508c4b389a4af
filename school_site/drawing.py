"""Pictures and PDF letters drawn with Pillow in memory, for `seed_demo` and the tests.

Nothing here touches the database or the network: the functions return a Pillow image or the
bytes of a file, and `school_site.seeding` stores them as Wagtail images and documents.
"""

from __future__ import annotations

import io
import random
import unicodedata
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

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
