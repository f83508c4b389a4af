"""Wagtail's SQLite (FTS5) search backend, searching the way the PostgreSQL one does here.

Configured in `settings.base.WAGTAILSEARCH_BACKENDS` when the database is SQLite (development,
the demo, CI). Same three changes as `home.search_backend.FoldedPrefixQueryCompiler`:
- the query's words are folded like the indexed text (home/search_fold.py), the last one
  whole or as a prefix (`"khai" AND ("gia" OR "gia"*)`), so the whole word ranks higher;
- a title match weighs more than a body match: Wagtail calls `bm25()` without column weights,
  so a word in the title counted no more than one in the body;
- equally relevant results come newest first.
Matching is FTS5's `MATCH` on its own full-text index: whole words, no LIKE.
"""

from __future__ import annotations

from django.db.models import FloatField, OuterRef, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite.query import (
    BM25,
    CombinedLexeme,
    Lexeme,
    MatchExpression,
    SearchQueryExpression,
)
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import SQLiteFTSIndexEntry
from wagtail.search.query import Not, Phrase, PlainText

from home.search_fold import fold_query, recency_ordering

# bm25() weights in the FTS table's column order (autocomplete, body, title): the title counts
# as much as Wagtail's `SearchField("title", boost=2)` asks of PostgreSQL's 'A' weight.
COLUMN_WEIGHTS = (0.0, 1.0, 10.0)


class WeightedBM25(BM25):
    def as_sql(self, compiler, connection, function=None, template=None):
        weights = ", ".join(str(w) for w in COLUMN_WEIGHTS)
        return f"bm25({SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class GroupedLexeme(CombinedLexeme):
    """`(a OR b)`: modelsearch's combinations have no parentheses, and FTS5 binds AND first."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return sql, [f"({params[0]})"]


class FoldedPrefixQueryCompiler(SQLiteSearchQueryCompiler):
    LAST_TERM_IS_PREFIX = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = fold_query(self.query)

    def build_search_query_content(self, query, config=None):
        if not isinstance(query, PlainText):
            return super().build_search_query_content(query, config=config)
        *words, last = query.query_string.split() or [""]
        if not last:
            return None
        lexemes = GroupedLexeme(Lexeme(last), "OR", Lexeme(last, prefix=True))
        for word in reversed(words):
            connector = "AND" if query.operator.upper() == "AND" else "OR"
            lexemes = GroupedLexeme(Lexeme(word), connector, lexemes)
        return SearchQueryExpression(lexemes, config=config)

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        if isinstance(query, (Phrase, PlainText, Not)):
            rank_expression = WeightedBM25()
            return rank_expression * boost if boost != 1.0 else rank_expression
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def search(self, config, start, stop, score_field=None):
        if not self.order_by_relevance:
            return super().search(config, start, stop, score_field=score_field)
        # Unsliced, so that we can add the tie-breaker; bm25() is negative, lower is better.
        score_field = score_field or "_score"
        queryset = super().search(config, None, None, score_field=score_field)
        if not queryset.query.order_by:  # a negated query has no scores to order by
            return queryset[start:stop]
        return queryset.order_by(score_field, *recency_ordering(queryset.model))[start:stop]


class FoldedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = FoldedPrefixQueryCompiler

    # The same two calls as `home.search_backend`'s, for the public search.

    def filter_matches(self, queryset: QuerySet, query_string: str) -> QuerySet:
        """The pages of `queryset` that `query_string` matches (every word), unranked."""
        entries = self._matching_entries(queryset, query_string)
        if entries is None:
            return queryset.none()
        return queryset.filter(
            pk__in=entries.filter(
                index_entry__content_type__in=get_descendants_content_types_pks(queryset.model)
            ).values("index_entry__object_id")
        )

    def annotate_rank(self, queryset: QuerySet, query_string: str) -> QuerySet:
        """`queryset` with `search_rank`, higher is better: the weighted bm25() negated.

        bm25() is negative and lower is better; negated, the order is the same (a float's
        negation is exact) and the public search sorts both databases' ranks the same way.
        """
        entries = self._matching_entries(queryset, query_string)
        if entries is None:
            return queryset.none()
        scores = (
            entries.filter(
                index_entry__content_type_id=OuterRef("content_type_id"),
                index_entry__object_id=Cast(OuterRef("pk"), output_field=TextField()),
            )
            .annotate(search_rank=-WeightedBM25())
            .values("search_rank")[:1]
        )
        return queryset.annotate(search_rank=Subquery(scores, output_field=FloatField()))

    def newest_matches(
        self, queryset: QuerySet, query_string: str, *, limit: int
    ) -> list[tuple[int, object, float]]:
        """`(id, first_published_at, rank)` of the newest matching pages, at most `limit`.

        As `home.search_backend`'s: newest is the highest id, the rank negated bm25(). Here
        the two calls above (SQLite plans the FTS5 MATCH and the bm25() lookup itself).
        """
        matches = self.annotate_rank(self.filter_matches(queryset, query_string), query_string)
        rows = matches.order_by("-pk").values_list("pk", "first_published_at", "search_rank")
        return [tuple(row) for row in rows[:limit]]

    def _matching_entries(self, queryset: QuerySet, query_string: str):
        compiler = self.query_compiler_class(queryset, PlainText(query_string, operator="and"))
        search_query = compiler.build_search_query(compiler.query)
        if search_query is None:
            return None
        return SQLiteFTSIndexEntry.objects.filter(
            MatchExpression(compiler.FTS_TABLE_FIELDS, search_query)
        )


SearchBackend = FoldedSQLiteSearchBackend
