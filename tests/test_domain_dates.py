"""dates, in-process: the exact limits of the strict parser and the first and last day of every
precision. (tools/mutants.py runs these first against its mutants of dates.py.)"""

from __future__ import annotations

import datetime

import pytest

from outsourcing_cli.domain import dates


def _day(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


@pytest.mark.parametrize(
    "text",
    [
        "2007-01-01-01",
        "207",
        "20070",
        "2007-1",
        "2007-01-1",
        "2007-001",
        "２００７",
        "2007-０１",
        " 2007",
        "2007 ",
        "2007-02-30",
        "2007-13",
        "2007-04-31",
        "0000",
        "2007-",
        "-2007",
        "2007--01",
        "+2007",
        "2007-1a",
    ],
)
def test_what_is_not_a_date(text):
    assert dates.is_date(text) is False
    with pytest.raises(dates.DateError) as refused:
        dates.parse(text)
    assert str(refused.value) == f"{text!r} is not a date; give YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date)"
    assert refused.value.text == text


@pytest.mark.parametrize("text", ["0001", "9999-12-31", "2007", "2007-12", "2008-02-29", "2000-02-29"])
def test_what_is_a_date(text):
    assert dates.is_date(text) is True
    assert dates.parse(text) == text


def test_forms_are_named_once():
    assert dates.FORMS == "YYYY, YYYY-MM or YYYY-MM-DD"


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2007", "2007-01-01", "2007-12-31"),
        ("2008", "2008-01-01", "2008-12-31"),
        ("2007-02", "2007-02-01", "2007-02-28"),
        ("2008-02", "2008-02-01", "2008-02-29"),
        ("2007-12", "2007-12-01", "2007-12-31"),
        ("2007-01", "2007-01-01", "2007-01-31"),
        ("2007-04", "2007-04-01", "2007-04-30"),
        ("2007-06-15", "2007-06-15", "2007-06-15"),
        ("2007-12-31", "2007-12-31", "2007-12-31"),
    ],
)
def test_the_first_and_last_day_of_each_precision(text, first, last):
    assert dates.first_day(text) == _day(first)
    assert dates.last_day(text) == _day(last)
    assert dates.from_ordinal(dates.first_day(text)) == first
    assert dates.from_ordinal(dates.last_day(text)) == last


def test_from_ordinal_is_the_iso_day():
    assert dates.from_ordinal(_day("2006-08-04")) == "2006-08-04"
    assert dates.from_ordinal(1) == "0001-01-01"


@pytest.mark.parametrize("text, precision", [("2007", "year"), ("2007-03", "month"), ("2007-03-05", "day")])
def test_precision(text, precision):
    assert dates.precision(text) == precision


def test_first_and_last_day_refuse_what_is_not_a_date():
    for function in (dates.first_day, dates.last_day, dates.precision):
        with pytest.raises(dates.DateError):
            function("2007-13")
