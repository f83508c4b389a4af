"""Run inside the benchmark's stack (`manage.py shell < this file`): the URLs to load, as JSON.

The demo school with the most live news: its home, news index, newest article, a search for
a word of that article's title, and its RSS feed; and the district portal's home.
"""

import json
from urllib.parse import quote

from district_site.models import School
from school_site.models import NewsIndexPage, NewsPage

best = None
for candidate in School.objects.filter(status=School.Status.ACTIVE).order_by("pk"):
    count = NewsPage.objects.live().descendant_of(candidate.site.root_page).count()
    if best is None or count > best[1]:
        best = (candidate, count)
school = best[0]
root = school.site.root_page
index = NewsIndexPage.objects.child_of(root).live().first()
article = NewsPage.objects.live().descendant_of(root).order_by("-date", "-pk").first()
word = max((w for w in article.title.split() if w.isalpha()), key=len)
print(
    "TARGETS_JSON="
    + json.dumps(
        {
            "school": school.site.hostname,
            "home": "/",
            "news_index": index.get_url_parts()[2],
            "article": article.get_url_parts()[2],
            "search": "/search/?q=" + quote(word),
            "rss": "/rss.xml",
            "portal": "localhost",
            "news_count": best[1],
        },
        ensure_ascii=False,
    )
)
