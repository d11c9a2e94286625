"""history, in-process, on small hand-built events: the as-of model's boundaries (held on the last
day an event may have happened, possibly held from its first), revocations, ordering and totals.
(tools/mutants.py runs these first against its mutants of history.py.)"""

from __future__ import annotations

from outsourcing_cli.domain import dates, history, kinds
from outsourcing_cli.domain.model import FactBase

HELD, POSSIBLY = history.HELD, history.POSSIBLY


def _event(**values):
    return kinds.KINDS["designation"].model(
        **{"id": "e", "subject": "x", "subject_type": "city", "title": "base-city", "event": "granted", **values}
    )


def _total(**values):
    return kinds.KINDS["total"].model(**{"id": "t", "title": "base-city", "count": 1, **values})


def _city(city_id):
    return kinds.KINDS["city"].model(id=city_id, name=city_id.title())


def _at(text):
    return history.point_of(text)


def test_an_exact_event_is_held_from_its_day_and_not_the_day_before():
    span = history.period(_event(date="2010-05-05"))
    assert (span.first, span.last, span.exact) == (dates.first_day("2010-05-05"),) * 2 + (True,)
    assert span.status_at(_at("2010-05-05")) == HELD
    assert span.status_at(_at("2010-05-04")) is None


def test_a_partial_date_is_possibly_held_from_its_first_day_and_held_from_its_last():
    span = history.period(_event(date="2010"))
    assert span.exact is False
    assert span.status_at(dates.first_day("2010") - 1) is None
    assert span.status_at(dates.first_day("2010")) == POSSIBLY
    assert span.status_at(_at("2010-12-30")) == POSSIBLY
    assert span.status_at(_at("2010-12-31")) == HELD


def test_an_event_known_only_to_have_happened_by_a_day_is_possibly_held_before_it():
    span = history.period(_event(not_after="2009-02-02"))
    assert (span.first, span.last) == (None, dates.last_day("2009-02-02"))
    assert span.status_at(_at("1990")) == POSSIBLY
    assert span.status_at(_at("2009-02-02")) == HELD


def test_bounds_narrow_a_partial_date():
    span = history.period(_event(date="2010", not_before="2010-03", not_after="2010-09-10"))
    assert dates.from_ordinal(span.first) == "2010-03-01"
    assert dates.from_ordinal(span.last) == "2010-09-10"
    wide = history.period(_event(date="2010-06", not_before="2009", not_after="2011"))
    assert (dates.from_ordinal(wide.first), dates.from_ordinal(wide.last)) == ("2010-06-01", "2010-06-30")
    assert history.period(_event()) == history.Period(None, None)


def test_as_of_means_the_end_of_the_date_given():
    assert history.point_of("2009") == dates.last_day("2009") == dates.first_day("2009-12-31")
    assert history.point_of("2009-02") == dates.first_day("2009-02-28")
    assert history.point_of(None) > dates.last_day("9999")


def test_when_in_words():
    assert (
        dates.when(_event(date="2010", not_before="2010-03", not_after="2010-09-10"))
        == "2010, between 2010-03 and 2010-09-10"
    )
    assert dates.when(_event(date="2010", not_after="2010-09-10")) == "2010, by 2010-09-10"


def test_events_in_date_order_uncertain_ones_by_their_earliest_day():
    bounded = _event(id="a-bounded", not_before="2007-01-09", not_after="2008-01-11")
    june = _event(id="b-june", date="2007-06")
    year = _event(id="c-year", date="2007")
    first_of_january = _event(id="d-jan-1", date="2007-01-01")
    undated = _event(id="e-undated")
    by_end = _event(id="f-by", not_after="2006-05-01")
    ordered = sorted([undated, june, year, bounded, first_of_january, by_end], key=history.sort_key)
    assert [e.id for e in ordered] == ["f-by", "d-jan-1", "c-year", "a-bounded", "b-june", "e-undated"]


def test_a_held_grant_wins_over_a_possibly_held_one_and_says_since_when():
    vague = _event(id="vague", not_before="2007-01-01", not_after="2009-01-01")
    sure = _event(id="sure", date="2008-01-01", not_after="2008-01-01")
    assert history.holdings([vague, sure], _at("2008-06")) == [history.Holding("base-city", HELD, "2008-01-01", "sure")]
    assert history.holdings([vague, sure], _at("2007-06")) == [history.Holding("base-city", POSSIBLY, None, "vague")]
    assert history.holdings([vague, sure], _at("2006")) == []


def test_a_revocation_on_the_day_of_the_grant_ends_it():
    grant = _event(id="g", date="2010-01-01")
    revocation = _event(id="r", event="revoked", date="2010-01-01")
    assert history.holdings([grant, revocation], _at("2011")) == []


def test_a_revocation_within_a_grant_s_period_counts_and_one_before_it_does_not():
    grant = _event(id="g", date="2010")
    assert history.holdings([grant, _event(id="r", event="revoked", date="2010-06")], _at("2011")) == []
    earlier = _event(id="old", event="revoked", date="2009-12-31")
    assert history.holdings([grant, earlier], _at("2011")) == [history.Holding("base-city", HELD, "2010", "g")]


def test_a_revocation_possibly_made_leaves_the_title_possibly_held():
    grant = _event(id="g", date="2006-08-04")
    revocation = _event(id="r", event="revoked", not_before="2012-01-01", not_after="2013-12-31")
    assert history.holdings([grant, revocation], _at("2012-06")) == [
        history.Holding("base-city", POSSIBLY, "2006-08-04", "g")
    ]
    assert history.holdings([grant, revocation], _at("2011-12-31")) == [
        history.Holding("base-city", HELD, "2006-08-04", "g")
    ]
    assert history.holdings([grant, revocation], _at("2013-12-31")) == []


def _base():
    designations = (
        _event(id="x-base", subject="x", date="2006-08-04"),
        _event(id="x-model", subject="x", title="model-city", date="2010-02"),
        _event(id="y-base", subject="y", not_before="2007-01-01", not_after="2008-06-30"),
        _event(id="park-base", subject="park", subject_type="area", date="2007"),
        _event(id="z-base", subject="z", date="2021-03-03"),
    )
    totals = (
        _total(id="t1", date="2010-05-05"),
        _total(id="t2", date="2010-05-05"),
        _total(id="t3", not_before="2012-03"),
        _total(id="t4", not_after="2011-07"),
        _total(id="t5"),
    )
    return FactBase({"city": (_city("x"), _city("y"), _city("z")), "designation": designations, "total": totals})


def test_holders_of_a_title_by_subject_type():
    base = _base()
    assert history.holders(base, "base-city", _at("2007-12")) == {"x": HELD, "y": POSSIBLY, "park": HELD}
    assert history.holders(base, "base-city", _at("2007-12"), "city") == {"x": HELD, "y": POSSIBLY}
    assert history.holders(base, "base-city", _at("2007-12"), "area") == {"park": HELD}
    assert history.holders(base, "base-city", _at("2007-06"), "area") == {"park": POSSIBLY}


def test_yearly_counts_of_held_and_possibly_held():
    assert history.yearly_counts(_base(), "base-city", [2006, 2007, 2008]) == [(2006, 1, 0), (2007, 2, 1), (2008, 3, 0)]


def test_the_span_of_years_names_the_last_year():
    assert history.year_span(_base()) == range(2006, 2022)
    assert history.year_span(FactBase({})) == range(0)


def test_the_first_title_a_subject_gets_after_a_point():
    base = _base()
    x = _city("x")
    assert history.first_title_after(base, x, _at("2009")).id == "x-model"
    assert history.first_title_after(base, x, _at("2005")).id == "x-base"
    assert history.first_title_after(base, x, _at("2011")) is None


def test_the_day_a_total_speaks_of():
    assert history.total_point(_total(date="2010-05")) == dates.last_day("2010-05")
    assert history.total_point(_total(not_before="2012-03")) == dates.first_day("2012-03")
    assert history.total_point(_total(not_after="2011-07")) == dates.last_day("2011-07")
    assert history.total_point(_total()) is None


def test_the_latest_total_on_or_before_a_day():
    base = _base()
    assert history.latest_total(base, "base-city", dates.last_day("2010-05-05")).id == "t2"  # of one day: the last
    assert history.latest_total(base, "base-city", dates.last_day("2010-05-04")) is None
    assert history.latest_total(base, "base-city", dates.last_day("2011-07")).id == "t4"
    assert history.latest_total(base, "base-city", dates.first_day("2012-03")).id == "t3"
    assert history.latest_total(base, "model-city", dates.last_day("2030")) is None


def test_an_event_that_is_neither_a_grant_nor_a_revocation_grants_nothing():
    # the schema refuses such an event, but `check` still runs the rules over what it read
    assert history.holdings([_event(id="odd", event=None, date="2006")], _at("2010")) == []
    assert history.holdings([_event(id="odd", event="renamed", date="2006")], _at("2010")) == []
