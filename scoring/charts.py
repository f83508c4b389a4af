"""Charts for the score sheet reports, drawn on the server as inline SVG.

No JavaScript library and no CDN: a school's admin may be opened on a slow connection or
printed, and an SVG in the page works in both. Every text is escaped; the charts carry a
<title> and role="img" so screen readers announce them, and the numbers are also in the
table next to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#007d7e"
BONUS_COLOUR = "#f0a500"
TEXT_COLOUR = "#262626"
GRID_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class Bar:
    label: str
    points: Decimal
    bonus: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.points + self.bonus


def _number(value: Decimal | int) -> str:
    """Vietnamese number style: "12,5" and "12" (no trailing ",00")."""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 720) -> SafeString:
    """Horizontal bars, one per row (points, then bonus stacked after them), largest scale
    first row to last as given. Empty input draws nothing."""
    if not bars:
        return mark_safe("")
    label_width, value_width, row_height, top = 230, 60, 24, 8
    plot_width = width - label_width - value_width
    height = top * 2 + row_height * len(bars)
    largest = max((bar.total for bar in bars), default=Decimal(0))
    scale = plot_width / float(largest) if largest > 0 else 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" data-chart="bars">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = top + index * row_height
        points_w = max(float(bar.points), 0.0) * scale
        bonus_w = max(float(bar.bonus), 0.0) * scale
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(_shorten(bar.label, 32))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{points_w:.1f}" height="16" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.label)}: {_number(bar.points)} điểm'
            f"</title></rect>"
        )
        if bonus_w:
            parts.append(
                f'<rect x="{label_width + points_w:.1f}" y="{y + 4}" width="{bonus_w:.1f}" '
                f'height="16" fill="{BONUS_COLOUR}"><title>{escape(bar.label)}: '
                f"{_number(bar.bonus)} điểm cộng</title></rect>"
            )
        parts.append(
            f'<text x="{label_width + points_w + bonus_w + 6:.1f}" y="{y + 16}" font-size="13" '
            f'fill="{TEXT_COLOUR}">{_number(bar.total)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def month_label(month: datetime.date) -> str:
    return f"T{month.month}/{month.year}"


def trend_chart(
    months: Sequence[tuple[datetime.date, int, Decimal]],
    *,
    title: str,
    width: int = 720,
    height: int = 220,
) -> SafeString:
    """Columns per month: `months` is [(first day of month, pages, total points)]. The column
    height is the month's points, its label the pages credited that month."""
    if not months:
        return mark_safe("")
    left, bottom, top = 40, 36, 16
    plot_height = height - bottom - top
    column_space = (width - left) / len(months)
    column_width = max(column_space * 0.6, 2)
    largest = max((float(total) for _m, _p, total in months), default=0.0)
    scale = plot_height / largest if largest > 0 else 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" data-chart="trend">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" '
        f'stroke="{GRID_COLOUR}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" '
        f'fill="{TEXT_COLOUR}">{_number(Decimal(str(round(largest, 2))))}</text>',
    ]
    for index, (month, pages, total) in enumerate(months):
        x = left + index * column_space + (column_space - column_width) / 2
        column_height = max(float(total), 0.0) * scale
        y = top + plot_height - column_height
        label = month_label(month)
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column_width:.1f}" '
            f'height="{column_height:.1f}" fill="{BAR_COLOUR}" data-month="{month:%Y-%m}">'
            f"<title>{label}: {pages} bài, {_number(total)} điểm</title></rect>"
        )
        centre = x + column_width / 2
        if pages:
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
                f'fill="{TEXT_COLOUR}">{pages}</text>'
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT_COLOUR}">{label}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
