"""Keyset pagination for lists that run newest first, whatever their length.

A page names the row it continues from (`?before=<pk>`: older than that row;
`?after=<pk>`: newer than it), and the database seeks to it through the index
that already gives the list its order. Page 4,000 of the home page costs what
page 1 does: no OFFSET that reads and throws away every row before it, and no
COUNT of every row on each request. The price is that pages have no numbers;
readers go newer or older from where they are, or to a month of the archive.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Func, Subquery
from django.db.models.lookups import GreaterThan, LessThan
from django.http import Http404


class Row(Func):
    """A row value, ROW(a, b), so (date, pk) is compared in one index condition."""

    function = "ROW"
    output_field = models.Field()


@dataclass(frozen=True)
class KeysetPage:
    """One page of a newest-first list; `newer` and `older` are the cursors of
    the neighbouring pages (pass them as ?after= and ?before=), None at an end."""

    items: list
    newer: int | None
    older: int | None

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def cursor(request, name: str) -> int | None:
    """A cursor from the query string: a row's primary key. Anything else is 404,
    as an unknown page number is."""
    value = request.GET.get(name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404("There is no such page.")
    return int(value)


def keyset_page(
    queryset, *, per_page: int, before=None, after=None, date="published_at"
) -> KeysetPage:
    """A page of `queryset`, newest first by (date, pk), in one query: one row
    more than the page is read to know whether another page follows.

    A cursor that leads nowhere (an unknown row, or past either end) is a page
    that does not exist: 404."""
    key = Row(F(date), F("pk"))

    def position(pk):
        row = queryset.model._base_manager.filter(pk=pk).order_by().values(date, "pk")
        return Subquery(row, output_field=models.Field())

    if after is not None:
        rows = list(
            queryset.filter(GreaterThan(key, position(after))).order_by(date, "pk")[
                : per_page + 1
            ]
        )
        items = rows[:per_page][::-1]
        newer = items[0].pk if len(rows) > per_page else None
        older = items[-1].pk if items else None
    else:
        if before is not None:
            queryset = queryset.filter(LessThan(key, position(before)))
        rows = list(queryset.order_by(f"-{date}", "-pk")[: per_page + 1])
        items = rows[:per_page]
        older = items[-1].pk if len(rows) > per_page else None
        newer = items[0].pk if before is not None and items else None
    if not items and (before is not None or after is not None):
        raise Http404("There is no such page.")
    return KeysetPage(items=items, newer=newer, older=older)
