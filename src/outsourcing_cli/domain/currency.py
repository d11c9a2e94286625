"""The data's own currency (issue 18): the date the data end at. Pure: no I/O, no rendering.

The data's date is the newest dated fact: a designation's or total's date (or the bound that
closes it), a policy's date, a provision's start. A provision's scheduled end is not a fact
observed (it may lie in the future), so it does not count. A question asked past that date
(``--as-of``) still answers, from what the data know, with a note that the data end there.
"""

from __future__ import annotations

from . import dates
from .model import FactBase

_DATED = (
    ("designation", ("date", "not_after", "not_before")),
    ("total", ("date", "not_after", "not_before")),
    ("policy", ("date",)),
    ("provision", ("effective_from",)),
)


def data_date(base: FactBase) -> str | None:
    """The newest dated fact, as precise as it is written; None for data without dates."""
    best, best_day = None, -1
    for kind, names in _DATED:
        for record in base.of(kind):
            for name in names:
                value = getattr(record, name, None)
                if value and dates.is_date(value) and dates.last_day(value) > best_day:
                    best, best_day = value, dates.last_day(value)
    return best


def past_the_data(base: FactBase, as_of: str | None) -> str | None:
    """A note when ``as_of`` lies after the data's date: the answer is as of the data's end."""
    end = data_date(base)
    if not as_of or end is None or dates.first_day(as_of) <= dates.last_day(end):
        return None
    return (
        f"note: the data end at {end} (the newest dated fact); the answer for {as_of} is what was known "
        f"then, and later events are not recorded"
    )
