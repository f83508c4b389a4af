"""Wagtail's PostgreSQL search backend without its whole-table pass on every save.

Configured in `settings.base.WAGTAILSEARCH_BACKENDS` only when the database is PostgreSQL
(SQLite uses `home.search_backend_sqlite`, which has no such pass). Its query compiler,
`FoldedPrefixQueryCompiler` at the end of this module, is what the public search relies on:
folded words, the last one a prefix, GIN-served matching, recency as the tie-breaker.

The problem (Wagtail 8.0.1 / django-modelsearch 1.3.2, written up in docs/upstream.md).
Every time an object is indexed (a page saved or published, an image or document uploaded),
`PostgresIndex.add_items` upserts its row with `title_norm = 1.0` and then calls
`_refresh_title_norms()`, which
  1. computes `AVG(length(title))` over the WHOLE `wagtailsearch_indexentry` table, and
  2. runs `UPDATE ... SET title_norm = avg / length(title) WHERE title_norm = 1.0` — a column
     with no index, so another sequential scan of the whole table.
Both scans grow with the number of indexed objects in every school, so each save costs more as
the district grows, and two editors in different schools contend for the same table.

The choice. `title_norm` is a ranking statistic (it boosts short titles that match), not data:
search finds the same rows whatever its value. So this backend
  - gives each newly indexed row its norm at once, from the average stored in
    `home.SearchTitleStatistics` — one UPDATE of just the rows that were indexed, found through
    the unique (content_type_id, object_id) index: the cost no longer depends on the table size;
  - recomputes the average and rewrites the norms that drifted periodically, with
    `manage.py refresh_search_title_norms` (hourly, see docs/search-indexing.md), and in full
    whenever the index is rebuilt (`manage.py update_index` calls `_refresh_title_norms(full=True)`).
We preferred this to batching index updates through the background worker: indexing stays
where Wagtail does it (its indexing task, which django-tasks' immediate backend runs inside the
save's transaction), so a published post is searchable as soon as it is committed, and only
the statistic is deferred. If the tasks backend becomes a queue, the delay is the worker's
(docs/search-indexing.md); the per-task cost stays flat either way.
Between two refreshes a new row's norm uses an average at most an hour old; averages over tens
of thousands of titles move very slowly, and the next refresh makes all norms consistent again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import EmptyResultSet
from django.db import connections, router, transaction
from django.db.models import (
    Avg,
    BigIntegerField,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Length
from django.utils import timezone
from django.utils.encoding import force_str
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.utils import get_content_type_pk
from wagtail.search.models import IndexEntry
from wagtail.search.query import PlainText
from wagtail.search.query import SearchQuery as ParsedQuery

from home.search_fold import fold_query, recency_ordering
from home.search_statistics import SearchTitleStatistics

# The indexed object's id as a number: the expression of the index that migration
# home/0006_search_entry_page_id_index creates (repeated there verbatim: a migration does not
# import app code). NULL for an id that is not a number, so that it never fails on a write.
ENTRY_PAGE_ID_SQL = "(CASE WHEN object_id ~ '^[0-9]{1,18}$' THEN object_id::bigint END)"

# A refresh rewrites every norm only when the average moved by more than this fraction since
# the last one: rewriting 400,000 rows for a 0.1% change would cost more than it is worth.
DRIFT_TOLERANCE = 0.02


@dataclass(frozen=True)
class RefreshResult:
    average: float | None
    entries: int
    rewritten: int


def refresh_title_norms(*, full: bool = False, using: str | None = None) -> RefreshResult:
    """Recompute the average title length and bring the stored norms up to date.

    Two scans of the index table: meant for a periodic job and for index rebuilds, not for a
    save. With `full=False` the norms are rewritten only if the average drifted by more than
    DRIFT_TOLERANCE (plus any row still carrying the 1.0 placeholder, e.g. indexed before the
    first refresh); `full=True` rewrites them all.
    """
    alias = using or router.db_for_write(IndexEntry)
    entries = IndexEntry._default_manager.using(alias).annotate(title_length=Length("title"))
    stats = entries.filter(title_length__gt=0).aggregate(
        average=Avg("title_length"), entries=Count("pk")
    )
    average = stats["average"]
    if average is None:  # an empty index: nothing to normalise yet
        return RefreshResult(average=None, entries=0, rewritten=0)
    with transaction.atomic(using=alias):
        previous = (
            SearchTitleStatistics.objects.using(alias)
            .select_for_update()
            .filter(pk=SearchTitleStatistics.SINGLETON_PK)
            .first()
        )
        drifted = (
            previous is None
            or abs(average - previous.title_length_average) > DRIFT_TOLERANCE * average
        )
        if full or drifted:
            used = average
            to_rewrite = entries.filter(title_length__gt=0)
        else:
            # Keep the average every other row was normalised with, so all rows stay comparable.
            # A title exactly as long as that average has the norm 1.0 by right, not as a
            # placeholder: leave it (with unstemmed, folded titles such rows are common).
            used = previous.title_length_average
            to_rewrite = entries.filter(title_length__gt=0, title_norm=1.0).exclude(
                title_length=used
            )
        rewritten = to_rewrite.update(title_norm=used / F("title_length"))
        SearchTitleStatistics.objects.using(alias).update_or_create(
            pk=SearchTitleStatistics.SINGLETON_PK,
            defaults={
                "title_length_average": used,
                "entries": stats["entries"],
                "refreshed_at": timezone.now(),
            },
        )
    return RefreshResult(average=used, entries=stats["entries"], rewritten=rewritten)


class IncrementalTitleNormIndex(PostgresIndex):
    """PostgresIndex whose per-save norm update touches only the rows it just wrote."""

    def add_items(self, model, objs):
        objs = list(objs)
        # Remember which rows the upsert in super().add_items() writes: its closing call to
        # _refresh_title_norms() takes no arguments. A backend (and so this index) is built
        # afresh for each indexing call, so this attribute is not shared between threads.
        self._just_indexed = (get_content_type_pk(model), [force_str(obj.pk) for obj in objs])
        try:
            super().add_items(model, objs)
        finally:
            self._just_indexed = None

    def _refresh_title_norms(self, full=False):
        if full:  # index rebuilds (update_index): recompute everything, once
            refresh_title_norms(full=True, using=self.write_connection.alias)
            return
        just_indexed = getattr(self, "_just_indexed", None)
        if not just_indexed:
            return
        content_type_pk, object_ids = just_indexed
        stored_average = SearchTitleStatistics.objects.filter(
            pk=SearchTitleStatistics.SINGLETON_PK
        ).values("title_length_average")[:1]
        # One UPDATE through the unique (content_type_id, object_id) index, with the stored
        # average read in a subquery. Before the first refresh there is no average: the row
        # keeps the neutral 1.0 (= length / length) until the periodic job normalises it.
        (
            self.entries.filter(content_type_id=content_type_pk, object_id__in=object_ids)
            .annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .update(
                title_norm=Coalesce(
                    Subquery(stored_average, output_field=FloatField()),
                    Cast("title_length", FloatField()),
                )
                / F("title_length")
            )
        )


class FoldedPrefixQueryCompiler(PostgresSearchQueryCompiler):
    """Wagtail's PostgreSQL search with three changes (docs/search-indexing.md).

    - The query's words are folded like the indexed text (home/search_fold.py), and the last
      word matches whole or as a prefix ("khai gia" finds "khai giảng"), as a visitor types:
      `'khai' & ('gia' | 'gia':*)`, so a page with the whole word matches both and ranks
      above one where it is only the start of a word.
    - A match is `title @@ query OR body @@ query` rather than Wagtail's
      `(title || body) @@ query`: the concatenation is computed per row and no index serves
      it, while each column has its own GIN index, which PostgreSQL combines (BitmapOr).
    - Equally relevant results come newest first (Wagtail orders them by primary key).
    """

    LAST_TERM_IS_PREFIX = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = fold_query(self.query)

    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText) or invert:
            return super().build_tsquery_content(query, config=config, invert=invert)
        *words, last = query.query_string.split() or [""]
        if not last:
            return None
        lexemes = Lexeme(last) | Lexeme(last, prefix=True)
        for word in reversed(words):
            lexemes = Lexeme(word) & lexemes if query.operator == "and" else Lexeme(word) | lexemes
        return SearchQuery(lexemes, search_type="raw", config=config)

    def search(self, config, start, stop, score_field=None, backend=None):
        if not isinstance(self.query, PlainText) or self.fields is not None:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        if search_query is None:
            return self.queryset.none()
        rank_expression = self._build_rank_expression(self.get_search_vectors(search_query), config)
        # One filter() call, so both conditions share one join to the index table.
        queryset = self.queryset.filter(
            Q(index_entries__title=search_query) | Q(index_entries__body=search_query)
        )
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)

    def _apply_ordering_and_scoring(self, queryset, rank_expression, start, stop, score_field=None):
        if not self.order_by_relevance:
            return super()._apply_ordering_and_scoring(
                queryset, rank_expression, start, stop, score_field
            )
        queryset = queryset.order_by(rank_expression.desc(), *recency_ordering(queryset.model))
        if score_field is not None:
            queryset = queryset.annotate(**{score_field: rank_expression})
        return queryset[start:stop]


class IncrementalTitleNormSearchBackend(PostgresSearchBackend):
    index_class = IncrementalTitleNormIndex
    query_compiler_class = FoldedPrefixQueryCompiler

    # Two calls for the public search (district_site/public_search.py): plain querysets of
    # pages, to be filtered, ordered and sliced like any other. Pages only: their rows carry
    # the content type their index entry has.

    def filter_matches(self, queryset: QuerySet, query_string: str) -> QuerySet:
        """The pages of `queryset` that `query_string` matches (every word), unranked.

        A correlated EXISTS on the page's own index entry, not the join that `search()` makes:
        that join also carries `content_type_id IN (every page type)`, and with it PostgreSQL
        reads the whole index table through the content_type_id index, testing `@@` on every
        row (it costs `@@` as nearly free). Without it, PostgreSQL probes the unique
        (content_type_id, object_id) index page by page and can stop at a LIMIT, or combines
        the two GIN indexes for a rare word.
        """
        entries, _compiler = self._page_entries(queryset, query_string)
        return queryset.none() if entries is None else queryset.filter(Exists(entries))

    def annotate_rank(self, queryset: QuerySet, query_string: str) -> QuerySet:
        """`queryset` with `search_rank`: how well each page matches, higher is better.

        Wagtail's expression (ts_rank of title with its norm, plus body), read from the page's
        own entry in a correlated subquery: one probe of the unique index per row it is
        computed for. In a statement with a LIMIT, PostgreSQL computes such a costly output
        column after the LIMIT (the planner postpones it past the sort), so only for the rows
        returned. NULL for a page with no matching entry.
        """
        entries, compiler = self._page_entries(queryset, query_string)
        if entries is None:
            return queryset.none()
        rank = compiler._build_rank_expression(
            [(F("title"), F("title_norm")), (F("body"), 1.0)], self.config
        )
        ranks = entries.annotate(search_rank=rank).values("search_rank")[:1]
        return queryset.annotate(search_rank=Subquery(ranks, output_field=FloatField()))

    def newest_matches(
        self, queryset: QuerySet, query_string: str, *, limit: int
    ) -> list[tuple[int, object, float]]:
        """`(id, first_published_at, rank)` of the newest pages of `queryset` that match, at most `limit`.

        Newest is the highest id. The rank is Wagtail's (`annotate_rank`), higher is better.
        One statement: the pages of `queryset` JOINED to their matching index entry on
        `(content_type_id, ENTRY_PAGE_ID_SQL)`, the entry's id as a number. Why a join on that
        key, rather than `filter_matches` and `annotate_rank` (an EXISTS and a correlated
        subquery on `object_id = page.id::varchar`, which gave the same rows):
        - the rank is read from the row that matched, not found again (1,001 probes of the
          unique index for a common word);
        - the key has an index on the entry's side (home/0006) and the page's primary key on
          the other, so PostgreSQL picks its direction at default settings: for a common word it
          walks the pages newest first and probes each one's entry, merged with the entries'
          index walked in the same order when the pages are of one kind ("hoi", news of a
          school year: 795 buffers instead of 11,554); for a rarer word it reads the GIN
          matches and probes each one's page by primary key ("an toa": no scan of every page,
          which the text key forced, since only the page's id could be cast);
        - Wagtail's own join (`index_entries`) adds `content_type_id IN (every page type)`,
          which made PostgreSQL read the whole index table (`filter_matches`).
        Written as SQL around the two querysets' own SQL, because the ORM joins only along a
        relation; PostgreSQL pulls both subqueries up into one plain join. The rank, an output
        column, is computed for the rows returned only.
        """
        compiler = self.query_compiler_class(queryset, PlainText(query_string, operator="and"))
        search_query = compiler.build_tsquery(compiler.query, config=self.config)
        if search_query is None:
            return []
        rank = compiler._build_rank_expression(
            [(F("title"), F("title_norm")), (F("body"), 1.0)], self.config
        )
        entries = (
            IndexEntry._default_manager.filter(Q(title=search_query) | Q(body=search_query))
            .annotate(search_rank=rank)
            .values(
                entry_type=F("content_type_id"),
                # Exactly the index's expression, so that PostgreSQL matches it to the index.
                entry_page_id=RawSQL(ENTRY_PAGE_ID_SQL, (), output_field=BigIntegerField()),
                search_rank=F("search_rank"),
            )
        )
        pages = queryset.order_by().values(
            page_id=F("pk"), page_type=F("content_type_id"), published=F("first_published_at")
        )
        try:
            entries_sql, entries_params = entries.query.sql_with_params()
            pages_sql, pages_params = pages.query.sql_with_params()
        except EmptyResultSet:  # e.g. `queryset.none()`: nothing to ask the database
            return []
        sql = (
            f"SELECT page.page_id, page.published, entry.search_rank"
            f" FROM ({pages_sql}) page"
            f" INNER JOIN ({entries_sql}) entry"
            f" ON entry.entry_type = page.page_type AND entry.entry_page_id = page.page_id"
            f" ORDER BY page.page_id DESC LIMIT %s"
        )
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, (*pages_params, *entries_params, limit))
            return [tuple(row) for row in cursor.fetchall()]

    def autocomplete_matches(
        self, queryset: QuerySet, query: ParsedQuery, *, ordering: str | None = None
    ) -> list[tuple[int, int]]:
        """`(id, content_type_id)` of the pages of `queryset` that Wagtail's autocomplete of
        `query` matches, in Wagtail's relevance order, or ordered by the column `ordering`.

        For the admin's page search of a school user (district_site.admin_scoping.PageSearch),
        who searches one school's pages. Relevance is Wagtail's own: the autocomplete rank
        (`ts_rank` of the `autocomplete` vector, `simple` configuration), then the newest id.

        Wagtail joins the pages to the index table with `object_id = id::varchar AND
        content_type_id IN (every page type)`: PostgreSQL can only read that join from the
        index side, every entry of the district matching the words (GIN index, then each row's
        heap block), hashed against the school's pages: it grows with the district's matches.
        Here each page of `queryset` probes its own entry through the unique
        `(content_type_id, object_id)` index, in a scalar subquery of the SELECT list, which
        PostgreSQL never turns into a join (an EXISTS or IN it may plan as that same hash join):
        the cost follows `queryset`'s pages, whatever the rest of the district holds. A page
        that does not match gets a NULL rank and is dropped here rather than in a WHERE, which
        would repeat the subquery and probe every match twice.
        """
        compiler = self.autocomplete_query_compiler_class(queryset, query)
        config = compiler.get_config(self)
        search_query = compiler.build_tsquery(compiler.query, config=config)
        if search_query is None:
            return []
        rank = compiler._build_rank_expression([(F("autocomplete"), 1.0)], config)
        ranks = (
            IndexEntry._default_manager.filter(
                autocomplete=search_query,
                content_type_id=OuterRef("content_type_id"),
                object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
            )
            .annotate(search_rank=rank)
            .values("search_rank")[:1]
        )
        order = [ordering] if ordering else [F("search_rank").desc(nulls_last=True), "-pk"]
        rows = (
            queryset.annotate(search_rank=Subquery(ranks, output_field=FloatField()))
            .order_by(*order)
            .values_list("pk", "content_type_id", "search_rank")
        )
        return [(pk, content_type_id) for pk, content_type_id, rank in rows if rank is not None]

    def _page_entries(self, queryset: QuerySet, query_string: str):
        """The index entries of `queryset`'s pages that match (correlated on OuterRef), and the compiler."""
        compiler = self.query_compiler_class(queryset, PlainText(query_string, operator="and"))
        search_query = compiler.build_tsquery(compiler.query, config=self.config)
        if search_query is None:
            return None, compiler
        entries = IndexEntry._default_manager.filter(
            Q(title=search_query) | Q(body=search_query),
            content_type_id=OuterRef("content_type_id"),
            object_id=Cast(OuterRef("pk"), output_field=CharField(max_length=50)),
        )
        return entries, compiler


SearchBackend = IncrementalTitleNormSearchBackend
