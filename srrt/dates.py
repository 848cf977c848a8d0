"""Date arithmetic the database does for the SRRT: whole days between two dates, the same on SQLite and
PostgreSQL (Django's own date subtraction gives an interval on one and microseconds on the other)."""

from __future__ import annotations

from typing import Any

from django.db.models import Func, IntegerField


class DaysBetween(Func):
    """``end - start`` in whole days, for two date expressions (a datetime truncated with TruncDate works too)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        # date - date is an integer number of days in PostgreSQL.
        return super().as_sql(compiler, connection, template="(%(expressions)s::date)", arg_joiner="::date - ", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )
