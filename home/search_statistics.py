"""The one ranking statistic the PostgreSQL search index needs: the average title length.

Kept in its own module (imported by `home.models`) so that the backend in
`home.search_backend` and the `refresh_search_title_norms` command share it; see that backend
for why the statistic is stored instead of recomputed on every save.
"""

from django.db import models


class SearchTitleStatistics(models.Model):
    """A single row (pk=1): the average title length the search index's norms were computed with.

    `wagtailsearch_indexentry.title_norm` must be `average title length / this title's length`
    (a BM25-style length normalisation that boosts short, exact titles). Wagtail's backend
    recomputes the average over the whole index table after every save; we store it here,
    refresh it periodically, and give each newly indexed row its norm from this row.
    """

    SINGLETON_PK = 1

    title_length_average = models.FloatField()
    entries = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = "thống kê chỉ mục tìm kiếm"
        verbose_name_plural = "thống kê chỉ mục tìm kiếm"

    def __str__(self) -> str:
        return f"{self.title_length_average:.2f} ({self.entries} mục)"
