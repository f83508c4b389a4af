"""Admin screens of "Thi đua": the score sheet report and its downloads, the contributor's own
dashboard panel, the board's screens, and the district's school years, rubric and bonus points.

Who sees what:
- district admins and superusers: every school's sheet and the ranking, and the district
  screens (school years, rubric, freeze, bonus);
- a school's principal (`School.principal`, still on the board, school active): their own
  school's sheets only. Asking for another school (`?school=`) is a 404 before anything is read;
- a school's board members: their own school's board screens (flagged and credited posts);
- everyone else: refused; Wagtail turns the PermissionDenied into a message on the dashboard.
  Contributors see their own numbers in the dashboard panel instead.

The sheets come from `scoring.selectors`, the writes go through `scoring.services`; these views
only translate between HTTP and those functions. `wagtail_hooks.py` wires them in. One module
per audience: `access` (who may see what, shared helpers), `reports`, `board`, `district`.
"""

from django.urls import path

from scoring.views.access import (
    MENU_LABEL,
    BoardMenuItem,
    DistrictMenuItem,
    ReportMenuItem,
)
from scoring.views.board import (
    change_credit_view,
    credited_view,
    duplicate_view,
    flags_view,
    mark_good_view,
)
from scoring.views.district import (
    bonus_view,
    frozen_sheet_view,
    rubric_view,
    year_create_view,
    year_edit_view,
    year_freeze_view,
    years_view,
)
from scoring.views.reports import add_my_score_panel, export_view, print_view, report_view

__all__ = [
    "MENU_LABEL",
    "BoardMenuItem",
    "DistrictMenuItem",
    "ReportMenuItem",
    "add_my_score_panel",
    "urlpatterns",
]

urlpatterns = [
    path("", report_view, name="report"),
    path("report/print/", print_view, name="print"),
    path("report/<str:fmt>/", export_view, name="export"),
    path("years/", years_view, name="years"),
    path("years/add/", year_create_view, name="year_add"),
    path("years/<int:pk>/", year_edit_view, name="year_edit"),
    path("years/<int:pk>/freeze/", year_freeze_view, name="year_freeze"),
    path("years/<int:pk>/rubric/", rubric_view, name="rubric"),
    path("bonus/", bonus_view, name="bonus"),
    path("years/<int:pk>/frozen/", frozen_sheet_view, name="year_frozen_sheet"),
    path("board/flags/", flags_view, name="board_flags"),
    path("board/credited/", credited_view, name="board_credited"),
    path("board/credited/<int:page_id>/good/", mark_good_view, name="board_mark_good"),
    path("board/credited/<int:page_id>/credit/", change_credit_view, name="board_change_credit"),
    path("board/flags/<int:page_id>/duplicate/", duplicate_view, name="board_duplicate"),
]
