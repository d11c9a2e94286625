"""rules, in-process, on small hand-built bases: each rule's thresholds and bounds exactly where
they lie (an excerpt of 50 words or 120 CJK characters, OSC403's order of bounds, OSC407's counts,
OSC405, OSC408, ...), and the exact findings. (tools/mutants.py runs these first against its
mutants of rules.py.)"""

from __future__ import annotations

from outsourcing_cli.domain import kinds, rules
from outsourcing_cli.domain.model import FactBase
from outsourcing_cli.domain.rules import excerpts

CITY, AREA, DESIGNATION, TOTAL, CONFLICT = (
    kinds.KINDS[k].model for k in ("city", "area", "designation", "total", "conflict")
)
EVIDENCE, CLAIM, ACK = (kinds.PARTS[p].model for p in ("evidence", "claim", "acknowledgement"))


def _found(findings):
    return sorted((f.code, f.record, f.message) for f in findings)


def _grant(event_id, subject, title="base-city", subject_type="city", **values):
    return DESIGNATION(
        **{
            "id": event_id,
            "subject": subject,
            "subject_type": subject_type,
            "title": title,
            "event": "granted",
            "sources": ("s",),
            **values,
        }
    )


def test_an_excerpt_is_at_most_50_words_or_120_cjk_characters():
    excerpts = ["w " * 50, "w " * 51, "字" * 120, "字" * 121, "w " * 50 + "字" * 120, "w " * 49 + "字" * 121]
    city = CITY(id="x", name="X", sources=("s",), evidence=tuple(EVIDENCE(source="s", excerpt=e) for e in excerpts))
    tail = "; an excerpt is at most 50 words or 120 characters"
    assert _found(rules.evidence(FactBase({"city": (city,)}))) == [
        ("OSC306", "x", "excerpt 2 of city 'x' is 51 words and 0 Chinese characters long" + tail),
        ("OSC306", "x", "excerpt 4 of city 'x' is 0 words and 121 Chinese characters long" + tail),
        ("OSC306", "x", "excerpt 6 of city 'x' is 49 words and 121 Chinese characters long" + tail),
    ]


def test_a_cjk_character_separates_words():
    assert excerpts._length("苏州abc工业园区def") == (2, 6)
    assert excerpts._length("a苏b苏c") == (3, 2)


def _bounded(event_id, **values):
    sources = {f"{bound}_source": "s" for bound in ("not_before", "not_after") if bound in values}
    return _grant(event_id, "x", **values, **sources)


def test_bounds_in_order_and_a_date_within_them_at_any_precision():
    fine = (
        _bounded("a", not_before="2009-03", not_after="2009"),
        _bounded("b", not_before="2009-05-05", not_after="2009-05-05"),
        _bounded("c", date="2009", not_before="2009-03"),
        _bounded("d", date="2009", not_after="2009-06"),
        _bounded("e", date="2009-03-15", not_before="2009-03"),
        _bounded("f", date="2009-03", not_after="2009-03-01"),
    )
    assert _found(rules.date_bounds(FactBase({"designation": fine}))) == []
    wrong = (
        _bounded("g", not_before="2010", not_after="2009-12-31"),
        _bounded("h", date="2008-12", not_before="2009"),
        _bounded("i", date="2011-01-01", not_after="2010"),
        _grant("j", "x", not_before="2009"),
        _grant("k", "x", not_after_source="s"),
    )
    assert _found(rules.date_bounds(FactBase({"designation": wrong}))) == [
        ("OSC403", "g", "designation 'g': not_after 2009-12-31 is before not_before 2010"),
        ("OSC403", "h", "designation 'h': date 2008-12 is before not_before 2009"),
        ("OSC403", "i", "designation 'i': date 2011-01-01 is after not_after 2010"),
        ("OSC403", "j", "designation 'j' gives not_before 2009 without not_before_source: say which source sets it"),
        ("OSC403", "k", "designation 'k' gives not_after_source without not_after"),
    ]


def _holders_base(*totals):
    designations = (
        _grant("a-base", "a", date="2006"),
        _grant("b-base", "b", date="2007-01"),
        _grant(
            "c-base", "c", not_before="2007-01-01", not_after="2008-12-31", not_before_source="s", not_after_source="s"
        ),
    )
    return FactBase({"designation": designations, "total": totals})


def _total(total_id, count, **values):
    return TOTAL(
        **{"id": total_id, "title": "base-city", "count": count, "date": "2007-06", "sources": ("s",), **values}
    )


def test_a_total_counts_at_least_the_held_and_at_most_the_possibly_held():
    fine = (
        _total("two", 2),
        _total("three", 3),
        _total("unnamed", 4, unnamed=2),
        _total("named", 2, members=("a", "b")),
        _total("all", 3, members=("a", "b", "c")),
    )
    assert _found(rules.totals_agree(_holders_base(*fine))) == []
    wrong = (
        _total("one", 1),
        _total("four", 4),
        _total("stray", 3, members=("a", "b", "d")),
        _total("missing", 2, members=("a", "c")),
        _total("undated", 2, date=None),
    )
    assert _found(rules.totals_agree(_holders_base(*wrong))) == [
        (
            "OSC407",
            "four",
            "total 'four' counts 4 base-city holders at 2007-06-30, but the designations give 2 held "
            "and 1 possibly held",
        ),
        (
            "OSC407",
            "missing",
            "total 'missing' names members that disagree with the designations at 2007-06-30: held but not named: b",
        ),
        (
            "OSC407",
            "one",
            "total 'one' counts 1 base-city holders at 2007-06-30, but the designations give 2 held "
            "and 1 possibly held",
        ),
        (
            "OSC407",
            "stray",
            "total 'stray' names members that disagree with the designations at 2007-06-30: "
            "named but not holding it: d",
        ),
        ("OSC407", "undated", "total 'undated' has no date or bound to check it at"),
    ]


def test_a_revocation_on_the_day_of_the_grant_follows_it():
    grant = _grant("g", "x", date="2010-01-01")
    same_day = grant.replace(id="r", event="revoked")
    earlier = grant.replace(id="r0", event="revoked", date="2009-12-31")
    assert _found(rules.revoked_after_held(FactBase({"designation": (grant, same_day, earlier)}))) == [
        ("OSC405", "r0", "designation 'r0' revokes base-city from 'x', which no designation granted it before")
    ]


def test_a_conflict_has_two_claims_and_follows_one_of_them():
    claims = (CLAIM(claim="one", sources=("s",)), CLAIM(claim="two", sources=("s",)))
    conflicts = (
        CONFLICT(id="last", question="?", claims=claims, follows=2, sources=("s",)),
        CONFLICT(id="none", question="?", claims=claims, sources=("s",)),
        CONFLICT(id="zero", question="?", claims=claims, follows=0, sources=("s",)),
        CONFLICT(id="three", question="?", claims=claims, follows=3, sources=("s",)),
        CONFLICT(id="single", question="?", claims=claims[:1], sources=("s",)),
    )
    assert _found(rules.conflicts_well_formed(FactBase({"conflict": conflicts}))) == [
        ("OSC408", "single", "conflict 'single' has 1 claim(s); a disagreement needs two or more"),
        ("OSC408", "three", "conflict 'three' follows claim 3, but it has 2"),
        ("OSC408", "zero", "conflict 'zero' follows claim 0, but it has 2"),
    ]


def test_every_primary_list_after_the_first_is_reported():
    lists = tuple(_total(f"list-{n}", 1, members=("a",), primary_list=True) for n in range(3))
    city = CITY(id="a", name="A", primary_outsourcing_city=True, sources=("s",))
    assert _found(rules.primary_flag(FactBase({"city": (city,), "total": lists}))) == [
        (
            "OSC402",
            f"list-{n}",
            f"total 'list-{n}' is a second primary_list; only one total can define the flag (the first is 'list-0')",
        )
        for n in (1, 2)
    ]


def test_an_area_is_judged_at_the_end_of_its_grant_s_period():
    city = CITY(id="c", name="C", sources=("s",))
    area = AREA(id="park", name="Park", city="c", sources=("s",))
    events = (_grant("c-base", "c", date="2009-06"), _grant("park-area", "park", "showcase-area", "area", date="2009"))
    assert (
        _found(rules.areas_in_designated_cities(FactBase({"city": (city,), "area": (area,), "designation": events})))
        == []
    )
    early = (events[0], events[1].replace(date="2009-05"))
    assert _found(
        rules.areas_in_designated_cities(FactBase({"city": (city,), "area": (area,), "designation": early}))
    ) == [
        (
            "OSC401",
            "park",
            "showcase area 'park' became showcase-area (2009-05) while its city 'c' held no title; "
            "the city's first title came later: base-city (2009-06)",
        )
    ]


def test_ids_are_compared_without_case():
    cities = (CITY(id="Alpha", name="A"), CITY(id="alpha", name="B"), CITY(id="beta", name="C"))
    assert [(f.code, f.record) for f in rules.duplicate_ids(FactBase({"city": cities}))] == [("OSC201", "alpha")]


def test_an_event_differing_only_in_its_date_is_not_a_duplicate():
    first = _grant("one", "x", date="2009")
    events = (first, first.replace(id="two", date="2010"), first.replace(id="three"))
    assert [(f.code, f.record) for f in rules.duplicate_events(FactBase({"designation": events}))] == [
        ("OSC404", "three")
    ]


def test_an_acknowledgement_needs_a_reason_and_a_source():
    acks = (ACK(rule="OSC301", reason="known", sources=()), ACK(rule="OSC301", sources=("s",)))
    city = CITY(id="x", name="X", acknowledgements=acks)
    found = [(f.code, f.message, f.acknowledged) for f in rules.run(FactBase({"city": (city,)}))]
    assert found == [
        ("OSC204", "city 'x' names unknown source 's'", None),
        ("OSC301", "city 'x' cites no source", None),
        ("OSC501", "acknowledgement of OSC301 on city 'x' needs a source for its reason", None),
        ("OSC501", "acknowledgement of OSC301 on city 'x' needs a reason", None),
    ]


def test_suggestions_stop_once_the_comparison_budget_is_spent(monkeypatch):
    sources = tuple(kinds.KINDS["source"].model(id=i, title=i) for i in ("alpha", "beta"))
    cities = (CITY(id="x", name="X", sources=("alpah",)), CITY(id="y", name="Y", sources=("betta",)))
    base = FactBase({"city": cities, "source": sources})
    monkeypatch.setattr(rules, "COMPARED", 2)  # room for exactly one reference's two ids
    assert [f.message for f in rules.references(base)] == [
        "city 'x' names unknown source 'alpah'; did you mean 'alpha'?",
        "city 'y' names unknown source 'betta'",
    ]
    monkeypatch.setattr(rules, "COMPARED", 4)
    assert [f.message for f in rules.references(base)][
        1
    ] == "city 'y' names unknown source 'betta'; did you mean 'beta'?"


def test_every_rule_of_every_family_is_registered_once():
    """A rule is a public function of the rules package or of one of its families; each runs (is in
    the registry) exactly once, so that a rule added to a family cannot be forgotten."""
    import inspect

    from outsourcing_cli.domain.rules import excerpts, provisions, titles

    found = {
        fn
        for module in (rules, excerpts, titles, provisions)
        for name, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_") and name != "run"
    }
    assert len(set(rules._RULES)) == len(rules._RULES) == 17
    assert found == set(rules._RULES)
