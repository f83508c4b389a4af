"""Small SQL expressions the ORM does not write the way the planner needs."""

from __future__ import annotations

from django.db.models import BooleanField, Expression, F, QuerySet, Subquery


class InArray(Expression):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`.

    For a subquery that returns a handful of ids (a `LIMIT`ed pick). Two such conditions joined
    by OR, written as `IN (subquery)`, become hashed subplans that PostgreSQL checks against
    every row of the outer table: a sequential scan of it, growing with the whole district.
    As arrays they are computed once (init plans) and the outer rows are fetched by primary key
    (a BitmapOr of two index scans). SQLite keeps `IN`.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, queryset: QuerySet) -> None:
        super().__init__()
        self.column = F(column)
        self.values = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.values]

    def set_source_expressions(self, exprs) -> None:
        self.column, self.values = exprs

    def _parts(self, compiler) -> tuple[str, str, list]:
        column_sql, column_params = compiler.compile(self.column)
        values_sql, values_params = compiler.compile(self.values)
        return column_sql, values_sql, [*column_params, *values_params]

    def as_sql(self, compiler, connection):
        column_sql, values_sql, params = self._parts(compiler)
        return f"{column_sql} IN {values_sql}", params

    def as_postgresql(self, compiler, connection):
        column_sql, values_sql, params = self._parts(compiler)
        return f"{column_sql} = ANY(ARRAY{values_sql})", params
