"""The titles held, year by year: ``title_holdings``, ``years``, the views that read them and the
canned queries (see ``layout``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..domain import history, kinds
from ..domain.model import FactBase
from .tables import Column, Table, _one_of, _plural

if TYPE_CHECKING:
    Key = tuple[str, str, str | None, str]  # a holding: title, status, since, designation


def _subject_types() -> tuple[str, ...]:
    spec = kinds.KINDS["designation"].field("subject_type")
    assert spec is not None  # declared in the registry
    return tuple(spec.choices)


def _holdings_table() -> Table:
    choices = _subject_types()
    return Table(
        "title_holdings",
        "The titles each city and area held, from its designations (oscli's history): "
        "one row per run of years at whose end it held the title the same way (held, or possibly held "
        "when the event's date is uncertain), and whether it holds it as of the newest data. "
        "city_titles_by_year gives one row per year.",
        (
            Column("subject_type", "TEXT", "city or area", True, check=_one_of("subject_type", choices)),
            Column("subject", "TEXT", "the city's or area's id", True),
            *(
                Column(
                    f"subject_{c}",
                    "TEXT",
                    f"the subject when it is a {c} (a foreign key to {_plural(c)}); else null",
                    references=_plural(c),
                )
                for c in choices
            ),
            Column("title", "TEXT", "the title's id (a foreign key to titles)", True, "titles"),
            Column(
                "status",
                "TEXT",
                "held, or possibly held (the event's date is uncertain)",
                True,
                check=_one_of("status", (history.HELD, history.POSSIBLY)),
            ),
            Column("since", "TEXT", "the date of the grant, or null when only its bounds are known"),
            Column(
                "designation",
                "TEXT",
                "the designation that granted it (a foreign key to designations)",
                True,
                "designations",
            ),
            Column(
                "first_year",
                "INTEGER",
                "the first year at whose end it held the title so (null: only as of the newest data)",
            ),
            Column("last_year", "INTEGER", "the last year at whose end it held the title so"),
            Column(
                "latest",
                "INTEGER",
                "1 if it holds the title so as of the newest data, else 0",
                True,
                check='"latest" IN (0, 1)',
            ),
        ),
        facets=("title", "status", "latest"),
    )


def _years_table() -> Table:
    return Table(
        "years",
        "The years the designations and totals span: the rows of city_titles_by_year.",
        (Column("year", "INTEGER", "a year", True),),
        ("year",),
    )


def holdings_rows(base: FactBase) -> Iterator[tuple[Any, ...]]:
    """The rows of ``title_holdings``: for each city and area, each title it held or possibly held
    at the end of a year (``history.holdings``, as ``--as-of YEAR`` answers), as runs of consecutive
    years with the same holding, and whether it holds so as of the newest data.

    Linear in the data: a subject's designations are looked up in one index (``history``), and its
    holdings are worked out again only at the end of a year in which one of its events may have
    happened (an event's period starts or ends in it); between those nothing can change."""
    from bisect import bisect_left

    years = list(history.year_span(base))
    ends = [history.point_of(str(year)) for year in years]
    newest = history.point_of(None)
    choices = _subject_types()

    def keys(holdings: Iterable[history.Holding]) -> list[Key]:
        return [(h.title.lower(), h.status, h.since, h.designation.lower()) for h in holdings]

    for subject_type in choices:
        for record in base.of(subject_type):
            items = history.designations_of(base, subject_type, record.id)
            if not items:
                continue
            changed = {0}  # the years (their index) at whose end the holdings are worked out
            beyond = not years
            for event in items:
                span = history.period(event)
                for day in (span.first, span.last):
                    if day is not None:
                        at = bisect_left(ends, day)  # the first year whose end is on or after the day
                        changed.add(at)
                        beyond = beyond or at == len(years)
            runs: dict[Key, list[int]] = {}  # holding -> [first year, last year], open while held
            closed: list[tuple[Key, int, int]] = []
            held: list[Key] = []
            for index, (year, end) in enumerate(zip(years, ends, strict=False)):
                if index in changed:
                    held = keys(history.holdings(items, end))
                for key in [k for k in runs if k not in held]:
                    first, last = runs.pop(key)
                    closed.append((key, first, last))
                for key in held:
                    runs.setdefault(key, [year, year])[1] = year
            # as of the newest data: the same as at the end of the last year, unless an event may fall after it
            latest = set(keys(history.holdings(items, newest)) if beyond else held)
            owner = [record.id if c == subject_type else None for c in choices]
            for key, first, last in closed:
                yield (subject_type, record.id, *owner, *key, first, last, 0)
            for key, (first, last) in runs.items():
                yield (subject_type, record.id, *owner, *key, first, last, int(key in latest))
            for key in latest.difference(runs):  # held only beyond the years (no dated event at all)
                yield (subject_type, record.id, *owner, *key, None, None, 1)


_BY_YEAR = "JOIN years y ON y.year BETWEEN h.first_year AND h.last_year"

VIEWS: dict[str, tuple[str, str]] = {
    "city_titles_by_year": (
        "The titles each city held at the end of each year: held, or possibly held (the event's date is "
        "uncertain). Filter by year and title: ?year=2016&title=model-city.",
        f"""SELECT y.year, h.subject_city AS city, c.name, c.name_zh, c.province, h.title, t.name AS title_name,
       h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h {_BY_YEAR}
JOIN cities c ON c.id = h.subject_city JOIN titles t ON t.id = h.title
ORDER BY y.year, h.title, c.id""",
    ),
    "area_titles_by_year": (
        "The titles each showcase area held at the end of each year.",
        f"""SELECT y.year, h.subject_area AS area, a.name, a.name_zh, a.city, h.title, t.name AS title_name,
       h.status, h.since, h.designation
FROM title_holdings h {_BY_YEAR}
JOIN areas a ON a.id = h.subject_area JOIN titles t ON t.id = h.title
ORDER BY y.year, h.title, a.id""",
    ),
    "titles_latest": (
        "The titles every city and area holds as of the newest data.",
        """SELECT h.subject_type, h.subject, COALESCE(c.name, a.name) AS name, COALESCE(c.name_zh, a.name_zh) AS name_zh,
       h.title, t.name AS title_name, h.status, h.since, h.designation
FROM title_holdings h JOIN titles t ON t.id = h.title
LEFT JOIN cities c ON c.id = h.subject_city LEFT JOIN areas a ON a.id = h.subject_area
WHERE h.latest = 1
ORDER BY h.title, h.subject_type, h.subject""",
    ),
    "model_cities_latest": (
        "The model cities (中国服务外包示范城市) as of the newest data.",
        """SELECT c.id AS city, c.name, c.name_zh, c.province, h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h JOIN cities c ON c.id = h.subject_city
WHERE h.latest = 1 AND h.title = 'model-city'
ORDER BY c.id""",
    ),
    "model_cities_2016": (
        "The model cities at the end of 2016. Any year: city_titles_by_year?title=model-city&year=YEAR, or the "
        "canned query model_cities_in_year.",
        """SELECT c.id AS city, c.name, c.name_zh, c.province, h.status, h.since, h.designation, c.latitude, c.longitude
FROM title_holdings h JOIN cities c ON c.id = h.subject_city
WHERE 2016 BETWEEN h.first_year AND h.last_year AND h.title = 'model-city'
ORDER BY c.id""",
    ),
}

QUERIES: dict[str, dict[str, str]] = {
    "model_cities_in_year": {
        "title": "Model cities at the end of a year",
        "description": "The cities that held the model-city title at the end of :year (held or possibly held).",
        "sql": "SELECT city, name, name_zh, province, status, since, designation, latitude, longitude\n"
        "FROM city_titles_by_year WHERE title = 'model-city' AND year = CAST(:year AS INTEGER) ORDER BY city",
    },
    "holders_in_year": {
        "title": "Holders of a title at the end of a year",
        "description": "The cities and areas that held :title (base-city, model-city, showcase-area, showcase-base) "
        "at the end of :year.",
        "sql": "SELECT subject_type, subject, status, since, designation FROM title_holdings\n"
        "WHERE title = :title AND CAST(:year AS INTEGER) BETWEEN first_year AND last_year ORDER BY subject",
    },
}
