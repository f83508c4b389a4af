"""Benchmark: what the pictures of one listing cost to render, per way of fetching renditions.

Not a test: timings vary by machine. Run with `.venv/bin/python benchmarks/renditions.py`
(SQLite in a temporary file; set REDIS_URL to put Wagtail's rendition cache in Redis, where each
cache read and write is a network round trip). Twelve cards, their renditions already made (as
the upload task leaves them), rendered three ways in the same run:

- baseline: stock `{% image img fill-480x320 %}` per card (one rendition, no srcset);
- `{% responsive_image %}` without a prefetch: one `get_renditions` per card (cache, then DB);
- `{% responsive_image %}` after `prefetch_renditions` (one query for all, no cache traffic).

Prints the median milliseconds of each, its ratio to the baseline, and queries per render.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CARDS = int(os.environ.get("BENCH_CARDS", "12"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="bench-renditions-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "district_site.settings.test")
    import django
    from django.conf import settings

    settings.MEDIA_ROOT = f"{tmp}/media"
    if os.environ.get("REDIS_URL"):
        settings.CACHES["renditions"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from district_site.provisioning import provision_school
    from home.images import UPLOAD_SPECS, prefetch_renditions

    call_command("migrate", verbosity=0)
    school = provision_school(name="Trường Tiểu học Bench", kind="primary", hostname="b.localhost")
    image_model = get_image_model()
    ids = []
    for i in range(CARDS):
        image = image_model.objects.create(
            title=f"Ảnh {i}",
            file=get_test_image_file(size=(1200, 800)),
            collection=school.school.collection,
        )
        image.get_renditions(*UPLOAD_SPECS, "fill-480x320")
        ids.append(image.pk)

    stock = Template(
        "{% load wagtailimages_tags %}{% for i in images %}{% image i fill-480x320 %}{% endfor %}"
    )
    responsive = Template(
        '{% load image_tags %}{% for i in images %}{% responsive_image i "card" %}{% endfor %}'
    )

    def run(template, prefetch: bool) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            images = list(image_model.objects.filter(pk__in=ids))
            if prefetch:
                prefetch_renditions(images, "card")
            template.render(Context({"images": images}))
            elapsed = time.perf_counter() - start
        return elapsed, len(queries)

    ways = {
        "stock {% image %}": (stock, False),
        "responsive, no prefetch": (responsive, False),
        "responsive + prefetch": (responsive, True),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    counts: dict[str, int] = {}
    for template, prefetch in ways.values():
        run(template, prefetch)  # warm the rendition cache
    for _ in range(ROUNDS):  # interleaved, so load on the machine hits every way alike
        for name, (template, prefetch) in ways.items():
            elapsed, counts[name] = run(template, prefetch)
            times[name].append(elapsed)

    cache = "Redis" if os.environ.get("REDIS_URL") else "locmem"
    base = statistics.median(times["stock {% image %}"])
    print(f"{CARDS} cards, {ROUNDS} rounds, rendition cache: {cache}")
    for name in ways:
        median = statistics.median(times[name])
        print(f"{name:26s} {median * 1000:7.2f} ms  ×{median / base:5.2f}  {counts[name]} queries")


if __name__ == "__main__":
    main()
