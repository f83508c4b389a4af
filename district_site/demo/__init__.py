"""The Tam Nông demo district, ready to click through (`python manage.py seed_demo`).

- `data`: the Vietnamese data (the seed letter, schools, people, groups, texts);
- `seeder`: `seed_demo`, which puts it into the database, once;
- `writer`: writes each school's sections from the data;
- `report`: what a run did, for the command to print.

The pictures and PDF files are drawn by `school_site.drawing`, not by the test factories, so the
demo needs only the runtime requirements.
"""

from district_site.demo.data import DEMO_PASSWORD, SCHOOLS, SEED_LETTER_NUMBER
from district_site.demo.report import COUNTER_LABELS, DemoReport
from district_site.demo.seeder import school_year, seed_demo
from district_site.demo.writer import letter_html

__all__ = [
    "COUNTER_LABELS",
    "DEMO_PASSWORD",
    "SCHOOLS",
    "SEED_LETTER_NUMBER",
    "DemoReport",
    "letter_html",
    "school_year",
    "seed_demo",
]
