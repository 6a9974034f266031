"""What is stored, fingerprinted cheaply, so that a test can say a request wrote nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Sum
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext

SESSIONS = Session._meta.db_table


def database_fingerprint(*, without: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every table's rows, hashed: {table: digest}. Sessions are left out (see
    `session_footprint`), as are the tables named in `without`."""
    fingerprint = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table == SESSIONS or table in without or model._meta.proxy:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        fingerprint[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return fingerprint


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        table for table in before.keys() | after.keys() if before.get(table) != after.get(table)
    )


@dataclass(frozen=True)
class SessionFootprint:
    rows: int
    size: int  # characters of stored session data, all rows together


def session_footprint() -> SessionFootprint:
    totals = Session.objects.aggregate(size=Sum(Length("session_data")))
    return SessionFootprint(rows=Session.objects.count(), size=totals["size"] or 0)


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """The tables that the statements run inside the block insert into, update or delete
    from: filled in when the block ends. Cheaper than a fingerprint before and after, so
    that a sweep can check every request."""
    written: set[str] = set()
    with CaptureQueriesContext(connection) as captured:
        yield written
    for query in captured.captured_queries:
        if match := _WRITE.match(query["sql"] or ""):
            written.add(match.group(1))
