"""Production settings plus the benchmarks' ceiling view (benchmarks/urls.py).

Only the benchmark scripts start gunicorn with this module (DJANGO_SETTINGS_MODULE=
benchmarks.settings); a deployed server runs district_site.settings.production, whose URLconf
has no such view.
"""

from district_site.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
