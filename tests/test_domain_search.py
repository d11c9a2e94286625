"""search, in-process: the exact score of each way a field can match (whole field 100, exact 90, prefix
70, word 50, fuzzy 30), the edit limits of fuzzy matching, field weights, the order of hits on a
tie, and snippets. (tools/mutants.py runs these first against its mutants of search.py.)"""

from __future__ import annotations

import pytest

from outsourcing_cli.domain import kinds
from outsourcing_cli.domain.model import FactBase
from outsourcing_cli.domain.search import Hit, Query, allowed_edits, distance_at_most, match, search, snippet

PARK = "Suzhou Industrial Park"


@pytest.mark.parametrize(
    "query, text, fuzzy, expected",
    [
        ("Suzhou", "Suzhou", False, (100.0, 0, 6, "exact")),
        ("suzhou", PARK, False, (90.0, 0, 6, "exact")),
        ("suz", PARK, False, (70.0, 0, 3, "prefix")),
        ("industrial suzhou", PARK, False, (50.0, 7, 17, "word")),
        ("sim industrial", "Suzhou Industrial Simulation", False, (50.0, 18, 28, "word")),
        ("shenzen", "Shenzhen", True, (30.0, 0, 8, "fuzzy")),
        ("shenzen industrial", "Shenzhen Industrial", True, (30.0, 0, 8, "fuzzy")),
        ("2009", "2009年", False, (90.0, 0, 4, "exact")),
        ("苏州", "苏州工业园区", False, (90.0, 0, 2, "exact")),
    ],
)
def test_the_score_of_each_way_to_match(query, text, fuzzy, expected):
    assert match(Query(query), text, fuzzy) == expected


@pytest.mark.parametrize(
    "query, text",
    [
        ("su", "Suzhou"),  # a prefix is three letters or more
        ("industrial su", PARK),
        ("as of", "as a matter of fact"),  # words of two letters match only as a phrase
        ("shenzen", "Shenzhen"),  # fuzzy only when asked
        ("xhenzhen", "Shenzhen"),  # the first letter is kept
        ("200", "2009"),  # a number only whole
    ],
)
def test_what_does_not_match(query, text):
    assert match(Query(query), text, fuzzy=query.startswith("x")) is None


@pytest.mark.parametrize(
    "word, edits", [("abc", 0), ("abcd", 1), ("abcdefg", 1), ("abcdefgh", 2), ("abc1", 0), ("2009", 0), ("苏州工业", 0)]
)
def test_allowed_edits(word, edits):
    assert allowed_edits(word) == edits


def test_the_edit_distance_limits():
    assert distance_at_most("shenzhen", "shenzehn", 1)  # a swap of neighbours is one edit
    assert distance_at_most("abcd", "abce", 1)  # a substitution is one
    assert distance_at_most("abcd", "abcde", 1) and distance_at_most("abcde", "abcd", 1)
    assert not distance_at_most("abcd", "abef", 1)
    assert distance_at_most("abcd", "abef", 2)
    assert not distance_at_most("abcd", "abcdef", 1)


def _city(city_id, name, **values):
    return kinds.KINDS["city"].model(id=city_id, name=name, **values)


def _area(area_id, name, **values):
    return kinds.KINDS["area"].model(id=area_id, name=name, **values)


def _hits(hits):
    return [(h.kind, h.id, h.field, h.score, h.match) for h in hits]


def test_on_a_tie_the_shorter_field_then_the_kind_then_the_id():
    base = FactBase(
        {
            "city": (
                _city("z-short", "Green Park X"),
                _city("a-long", "Big Green Park East"),
                _city("z-city", "Green Park Two"),
            ),
            "area": (_area("a-area", "Green Park One"),),
        }
    )
    assert _hits(search(base, "green park")) == [
        ("city", "z-short", "name", 90, "exact"),
        ("city", "z-city", "name", 90, "exact"),
        ("area", "a-area", "name", 90, "exact"),
        ("city", "a-long", "name", 90, "exact"),
    ]


def test_a_field_s_weight_scales_its_score_and_the_first_field_wins_a_tie():
    base = FactBase(
        {"city": (_city("zeta", "Other"), _city("park", "Park", name_zh="Park"), _city("c", "C", province="Zeta"))}
    )
    assert _hits(search(base, "zeta")) == [("city", "zeta", "id", 95, "exact"), ("city", "c", "province", 80, "exact")]
    assert _hits(search(base, "park")) == [("city", "park", "name", 100, "exact")]


def test_fuzzy_only_when_nothing_else_matches_and_never_with_exact_only():
    base = FactBase({"city": (_city("shenzhen", "Shenzhen"),)})
    assert _hits(search(base, "shenzen")) == [("city", "shenzhen", "name", 30, "fuzzy")]
    assert search(base, "shenzen", exact_only=True) == []


def test_a_snippet_of_exactly_the_width_is_whole_and_a_longer_one_is_cut_around_the_match():
    exact = "a" * 36 + " Suzhou " + "b" * 36
    assert snippet(Hit("city", "c", "note", exact, 37, 43, 40, "exact")) == (exact, 37, 43)
    text = " ".join(f"w{i:02d}" for i in range(60))
    start = text.index("w30")
    assert snippet(Hit("city", "c", "note", text, start, start + 3, 40, "exact")) == (
        "…w24 w25 w26 w27 w28 w29 w30 w31 w32 w33 w34 w35 w36 w37 w38 w39 w40 w41 w42 w43…",
        25,
        28,
    )
