"""query, in-process, on small hand-built bases: --since and --until at their bounds, undated records,
years read from document numbers, sorting (absent values last), facets and name lookups.
(tools/mutants.py runs these first against its mutants of query.py.)"""

from __future__ import annotations

import pytest

from outsourcing_cli.domain import dates, facets, filters, history, kinds, names, query
from outsourcing_cli.domain.model import FactBase


def _policy(policy_id, **values):
    return kinds.KINDS["policy"].model(id=policy_id, title=policy_id, **values)


def _city(city_id, **values):
    return kinds.KINDS["city"].model(**{"id": city_id, "name": city_id.title(), **values})


POLICIES = (
    _policy("p-day", date="2010-05-05"),
    _policy("p-month", date="2010-05"),
    _policy("p-year", date="2010"),
    _policy("p-number", document_number="国发〔2009〕9号"),
    _policy("p-1999", document_number="外经贸发（1999）3号"),
    _policy("p-undated"),
)


@pytest.fixture
def policies():
    return FactBase({"policy": POLICIES})


def _ids(records):
    return [r.id for r in records]


def test_since_keeps_what_began_on_or_after_the_first_day(policies):
    assert _ids(filters.select(policies, "policy", {"since": "2010-05-05"})) == ["p-day"]
    assert _ids(filters.select(policies, "policy", {"since": "2010-05"})) == ["p-day", "p-month"]
    assert _ids(filters.select(policies, "policy", {"since": "2010"})) == ["p-day", "p-month", "p-year"]
    assert _ids(filters.select(policies, "policy", {"since": "2009"})) == ["p-day", "p-month", "p-year", "p-number"]


def test_until_keeps_what_ended_on_or_before_the_last_day(policies):
    assert _ids(filters.select(policies, "policy", {"until": "2010-05-05"})) == ["p-day", "p-number", "p-1999"]
    assert _ids(filters.select(policies, "policy", {"until": "2010-05"})) == ["p-day", "p-month", "p-number", "p-1999"]
    assert _ids(filters.select(policies, "policy", {"until": "2009"})) == ["p-number", "p-1999"]


def test_both_bounds_and_undated_records(policies):
    both = {"since": "2010-05", "until": "2010-05-31"}
    assert _ids(filters.select(policies, "policy", both)) == ["p-day", "p-month"]
    assert _ids(filters.select(policies, "policy", {**both, "include_undated": True})) == [
        "p-day",
        "p-month",
        "p-undated",
    ]
    assert _ids(filters.select(policies, "policy", {"since": "2010", "include_undated": True})) == [
        "p-day",
        "p-month",
        "p-year",
        "p-undated",
    ]
    assert _ids(filters.select(policies, "policy", {"until": "2009", "include_undated": True})) == [
        "p-number",
        "p-1999",
        "p-undated",
    ]
    assert _ids(filters.select(policies, "policy", {"until": "2009", "include_undated": False})) == [
        "p-number",
        "p-1999",
    ]


def test_the_undated_that_a_date_filter_left_out(policies):
    assert _ids(filters.undated_left_out(policies, "policy", {"since": "2010"})) == ["p-undated"]
    assert _ids(filters.undated_left_out(policies, "policy", {"until": "2010"})) == ["p-undated"]
    assert filters.undated_left_out(policies, "policy", {"until": "2010", "include_undated": True}) == []
    assert filters.undated_left_out(policies, "policy", {}) == []


def test_a_half_bounded_event_is_undated():
    designation = kinds.KINDS["designation"].model
    half = designation(
        id="d", subject="x", subject_type="city", title="base-city", event="granted", not_before="2008-01-12"
    )
    assert history.dated(half) is None
    bounded = half.replace(not_after="2008-03")
    assert history.dated(bounded) == (dates.first_day("2008-01-12"), dates.last_day("2008-03"))
    base = FactBase({"designation": (half, bounded.replace(id="e"))})
    assert _ids(filters.select(base, "designation", {"until": "2008"})) == ["e"]
    assert _ids(filters.select(base, "designation", {"since": "2008-01-12"})) == ["e"]


@pytest.mark.parametrize(
    "number, year",
    [
        ("国发〔2009〕9号", "2009"),
        ("外经贸发（1999）3号", "1999"),
        ("商资函[2006]102号", "2006"),
        ("X【2010】1", "2010"),
        ("No. (2011) 4", "2011"),
        ("[1899]", None),
        ("[20091]", None),
        ("2009", None),
    ],
)
def test_the_year_in_a_document_number(number, year):
    assert dates.year_from_number(_policy("p", document_number=number)) == year
    assert dates.year_from_number(_policy("p", date="2001", document_number=number)) is None


def test_sorting_ignores_case_and_accents_and_puts_absent_values_last():
    cities = [
        _city("wuhan", name="wuhan", province="Hubei"),
        _city("urumqi", name="Ürümqi"),
        _city("tianjin", name="Tianjin", province="tianjin"),
        _city("anshan", name="Anshan", province="Liaoning"),
    ]
    assert _ids(query.sort_records("city", cities, "name")) == ["anshan", "tianjin", "urumqi", "wuhan"]
    assert _ids(query.sort_records("city", cities, "name", reverse=True)) == ["wuhan", "urumqi", "tianjin", "anshan"]
    assert _ids(query.sort_records("city", cities, "province")) == ["wuhan", "anshan", "tianjin", "urumqi"]
    assert _ids(query.sort_records("city", cities, "province", reverse=True)) == [
        "tianjin",
        "anshan",
        "wuhan",
        "urumqi",
    ]
    assert _ids(query.sort_records("city", cities, None)) == ["wuhan", "urumqi", "tianjin", "anshan"]
    assert _ids(query.sort_records("city", cities, None, reverse=True)) == ["anshan", "tianjin", "urumqi", "wuhan"]
    assert query.sort_text("Ürümqi") == "urumqi" and query.sort_text("Xī'ĀN") == "xi'an"


def test_events_without_a_sort_key_come_in_date_order():
    designation = kinds.KINDS["designation"].model
    events = [
        designation(id=i, subject="x", subject_type="city", title="base-city", event="granted", date=d)
        for i, d in (("late", "2012"), ("early", "2006-08-04"), ("middle", "2009-02"))
    ]
    assert _ids(query.sort_records("designation", events, None)) == ["early", "middle", "late"]
    assert _ids(query.sort_records("designation", events, None, reverse=True)) == ["late", "middle", "early"]
    assert [history.sort_key(e)[0] for e in query.sort_records("designation", events, None)] == sorted(
        history.sort_key(e)[0] for e in events
    )


def test_facets_most_frequent_first_absent_last_among_equals():
    dicts = [{"titles": ["b", "a", "a"]}, {"titles": ["b"]}, {"titles": []}, {"titles": []}, {"titles": []}]
    assert facets.count_by("city", dicts, "titles") == [
        {"titles": None, "count": 3},
        {"titles": "b", "count": 2},
        {"titles": "a", "count": 1},
    ]
    ties = [{"province": "zeta"}, {"province": None}, {"province": "alpha"}, {"province": "Mid"}]
    assert [d["province"] for d in facets.count_by("city", ties, "province")] == ["alpha", "Mid", "zeta", None]


def test_a_name_two_records_share_is_ambiguous_and_an_id_may_be_typed_with_punctuation():
    base = FactBase(
        {
            "city": (
                _city("taizhou-js", name="Taizhou", name_zh="泰州市"),
                _city("taizhou-zj", name="Taizhou", name_zh="台州市"),
                _city("xian", name="Capital"),
            )
        }
    )
    with pytest.raises(names.Ambiguous) as many:
        query.resolve(base, "city", "taizhou")
    assert _ids(many.value.candidates) == ["taizhou-js", "taizhou-zj"]
    assert query.resolve(base, "city", "泰州").id == "taizhou-js"
    assert query.resolve(base, "city", "Xi-An").id == "xian"
    assert query.resolve(base, "city", "nowhere") is None
