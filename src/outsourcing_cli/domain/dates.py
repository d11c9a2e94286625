"""Dates at the precision a source gives them: one strict parser for the schema, the filters and
``--as-of``. Pure and light (no datetime import at start-up beyond the C module).

A date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and must exist in the calendar: ``2007-13``,
``2007-02-30`` and ``2007-1`` are refused. A partial date stands for its whole period: ``2006``
is every day from 2006-01-01 to 2006-12-31, so a date has a first and a last day, each an
ordinal (days since 0001-01-01), which makes comparisons exact at any precision.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Record

FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


class DateError(ValueError):
    """Text that is not a date of one of the accepted forms; the message says which forms."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a date; give {FORMS} (a real calendar date)")
        self.text = text


def _parts(text: str) -> tuple[int, ...]:
    pieces = text.split("-")
    if not 1 <= len(pieces) <= 3 or len(pieces[0]) != 4 or any(len(p) != 2 for p in pieces[1:]):
        raise DateError(text)
    if not all(p.isascii() and p.isdigit() for p in pieces):
        raise DateError(text)
    numbers = tuple(int(p) for p in pieces)
    try:
        _dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)
    except ValueError:
        raise DateError(text) from None
    if numbers[0] < 1:
        raise DateError(text)
    return numbers


def parse(text: str) -> str:
    """``text`` if it is a valid date, else DateError."""
    _parts(text)
    return text


def is_date(text: str) -> bool:
    try:
        _parts(text)
    except DateError:
        return False
    return True


@lru_cache(maxsize=4096)  # a base holds few distinct dates, read again and again (history, filters)
def first_day(text: str) -> int:
    """The ordinal of the first day the date covers."""
    numbers = _parts(text)
    return _dt.date(
        numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1
    ).toordinal()


@lru_cache(maxsize=4096)
def last_day(text: str) -> int:
    """The ordinal of the last day the date covers."""
    numbers = _parts(text)
    if len(numbers) == 3:
        return _dt.date(*numbers).toordinal()
    if len(numbers) == 2:
        year, month = numbers
        following = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return following.toordinal() - 1
    return _dt.date(numbers[0], 12, 31).toordinal()


def from_ordinal(ordinal: int) -> str:
    return _dt.date.fromordinal(ordinal).isoformat()


def precision(text: str) -> str:
    return ("year", "month", "day")[len(_parts(text)) - 1]


# -- an event's date in words, and the year a document number carries ----------------------------


def when(record: Record) -> str:
    """The date of an event in words: the date, or its bounds ('between 2007-01-09 and 2008-01-11',
    'by 2009-02-02', 'not before 2008-01-12'), or 'date unknown'."""
    parts: list[str] = []
    if record.date:
        parts.append(record.date)
    if record.not_before and record.not_after:
        parts.append(f"between {record.not_before} and {record.not_after}")
    elif record.not_after:
        parts.append(f"by {record.not_after}")
    elif record.not_before:
        parts.append(f"not before {record.not_before}")
    return ", ".join(parts) if parts else "date unknown"


# a year in brackets of any kind, read after _BRACKETS makes them ASCII (one character for one); re
# compiles the pattern on first use, and a class beyond Latin-1 would be slow to compile (see fold)
_YEAR_IN_NUMBER = r"\[((?:19|20)\d\d)\]"
_BRACKETS = str.maketrans("〔（(【〕）)】", "[[[[]]]]")


def year_from_number(record: Record) -> str | None:
    """For a record without a date: the year its document number carries ([2006], 〔2009〕), as a
    date of year precision; None when it has a date or no number with a year."""
    if getattr(record, "date", None):
        return None
    number = getattr(record, "document_number", None) or getattr(record, "document", None)
    found = re.search(_YEAR_IN_NUMBER, (number or "").translate(_BRACKETS))
    return found.group(1) if found else None


def when_or_number(record: Record) -> str | None:
    """A record's date, else the year its document number carries, marked as such (a policy's
    ``when``); None when it has neither."""
    year = year_from_number(record)
    return record.date or (f"{year} (from its document number)" if year else None)
