"""Provisions (issue 18): in force and reaching a place at a date, chains, spread, the data's date.

The logic is pinned on tests/fixtures/provisions (a chain pilot -> model -> listed -> nation and a
fund; Alpha a model city from 2009-02-02 with its park, Beta one from some day of 2016, Gamma none);
the exact sets for the shipped data are at the end, against the records integrated from the
research fragments.
"""

from __future__ import annotations

import json

import pytest
from conftest import DATA, FIXTURES

from outsourcing_cli.domain import provisions as prov
from outsourcing_cli.domain.history import point_of
from outsourcing_cli.domain.query import get
from outsourcing_cli.store.cache import validated

FIXTURE = FIXTURES / "provisions"


@pytest.fixture(scope="module")
def base():
    report = validated(FIXTURE)
    assert report.findings == ()
    return report.base


@pytest.fixture(scope="module")
def shipped():
    return validated(DATA).base


def _in_force(base, kind, subject, as_of):
    record = get(base, kind, subject)
    return {p.id: (r.status, r.via, r.title, r.area) for p, r in prov.in_force_for(base, record, as_of)}


# -- in force, and reaching a place ----------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, subject, as_of, expected",
    [
        # the pilot reaches Alpha through its park, and the park itself
        ("city", "alpha", "2007-06", {"pilot": ("held", "place", None, "alpha-park")}),
        ("area", "alpha-park", "2007-06", {"pilot": ("held", "place", None, None)}),
        ("city", "beta", "2007-06", {}),
        # what reaches a city reaches a company in its park
        ("area", "alpha-park", "2009-06", {"model": ("held", "title", "model-city", None)}),
        # Alpha's title is granted on 2009-02-02: not yet in January, held by June
        ("city", "alpha", "2009-01-15", {}),
        ("city", "alpha", "2009-06", {"model": ("held", "title", "model-city", None)}),
        # titles and places together: the places named while they hold the title (Beta is not named)
        (
            "city",
            "alpha",
            "2015-06",
            {"fund": ("held", "title", "model-city", None), "listed": ("held", "place", "model-city", None)},
        ),
        ("city", "beta", "2015-06", {}),
        # Beta's grant is dated 2016 only: possibly held during 2016, held from its end
        ("city", "beta", "2016-06", {"fund": ("possibly held", "title", "model-city", None)}),
        # nation starts some day of 2017: possibly in force in mid-2017, certainly by 2018
        (
            "city",
            "beta",
            "2017-06",
            {"fund": ("held", "title", "model-city", None), "nation": ("possibly held", "nationwide", None, None)},
        ),
        ("city", "gamma", "2017-06", {"nation": ("possibly held", "nationwide", None, None)}),
        ("city", "gamma", "2018-01", {"nation": ("held", "nationwide", None, None)}),
    ],
)
def test_provisions_in_force_for_a_place_at_a_date(base, kind, subject, as_of, expected):
    assert _in_force(base, kind, subject, as_of) == expected


def test_in_force_reads_partial_dates_as_periods(base):
    nation = get(base, "provision", "nation")
    assert prov.in_force(nation, point_of("2016-12-31")) is None
    assert prov.in_force(nation, point_of("2017-01")) == "possibly held"
    assert prov.in_force(nation, point_of("2017-12-31")) == "held"
    pilot = get(base, "provision", "pilot")
    assert prov.in_force(pilot, point_of("2008-12-31")) == "held"
    assert prov.in_force(pilot, point_of("2009-01-01")) is None
    ended_some_day = pilot.replace(effective_until="2008")
    assert prov.in_force(ended_some_day, point_of("2008-06")) == "possibly held"
    unknown_start = pilot.replace(effective_from=None, effective_until=None)
    assert prov.in_force(unknown_start, point_of("1990")) == "possibly held"


def test_chain_is_the_line_back_and_forward_in_date_order(base):
    for member in ("pilot", "model", "listed", "nation"):
        assert [p.id for p in prov.chain(base, get(base, "provision", member))] == [
            "pilot",
            "model",
            "listed",
            "nation",
        ]
    assert [p.id for p in prov.chain(base, get(base, "provision", "fund"))] == ["fund"]
    assert list(prov.cycles(base)) == []


# -- commands --------------------------------------------------------------------------------------


def _list(run, *args):
    result = run("--data-dir", str(FIXTURE), "provisions", "list", *args, "--json")
    assert result.exit_code == 0, result
    return {d["id"]: d["status"] for d in json.loads(result.stdout)}


def test_provisions_list_filters(run):
    assert _list(run, "--as-of", "2007-06", "--city", "alpha") == {"pilot": "held"}
    assert _list(run, "--as-of", "2007-06", "--area", "Alpha Park") == {"pilot": "held"}
    assert _list(run, "--as-of", "2016-06", "--city", "beta") == {"fund": "possibly held"}
    assert _list(run, "--as-of", "2016-06") == {"listed": "held", "fund": "held"}
    assert _list(run, "--category", "fund") == {"fund": "held"}
    # without --as-of: every provision that ever reached the place (status as of the newest data)
    assert _list(run, "--city", "alpha") == {
        "pilot": None,
        "model": None,
        "listed": None,
        "nation": "held",
        "fund": "held",
    }


def test_provisions_list_refuses_an_unknown_category_or_place(run):
    bad = run("--data-dir", str(FIXTURE), "provisions", "list", "--category", "taxes")
    assert bad.exit_code == 2 and "no category 'taxes'" in bad.stderr and "tax" in bad.stderr
    missing = run("--data-dir", str(FIXTURE), "provisions", "list", "--city", "delta")
    assert missing.exit_code == 1 and "no provision has city 'delta'" in missing.stderr
    assert "Traceback" not in bad.stderr + missing.stderr


def test_provisions_show_prints_the_chain_and_scope(run):
    result = run("--data-dir", str(FIXTURE), "provisions", "show", "listed")
    assert result.exit_code == 0
    out = result.stdout
    assert "Scope           model-city; places: alpha" in out
    chain = out.split("Chain:\n")[1].split("\n\n")[0].splitlines()
    assert chain == [
        "  - 2006-07-01: pilot, plan, places: alpha-park",
        "  - 2009-01-01: model, plan, model-city; extends pilot",
        "  - 2014-01-01: listed (this provision), plan, model-city; places: alpha; extends model",
        "  - 2017: nation, plan, nationwide; supersedes listed",
    ]
    data = json.loads(run("--data-dir", str(FIXTURE), "provisions", "show", "pilot", "--json").stdout)
    assert data["scope"] == {"nationwide": False, "titles": [], "places": ["alpha-park"]}
    assert (
        data["value"] == 15
        and isinstance(data["value"], int)
        and data["conditions"] == ["offshore income at least half"]
    )
    assert data["chain"] == ["pilot", "model", "listed", "nation"]


def test_city_show_has_provisions_in_force(run):
    result = run("--data-dir", str(FIXTURE), "cities", "show", "alpha", "--as-of", "2007-06", "--json")
    assert json.loads(result.stdout)["provisions"] == [
        {
            "provision": "pilot",
            "category": "tax",
            "policy": "plan",
            "status": "held",
            "via": "place",
            "title": None,
            "area": "alpha-park",
            "effective_from": "2006-07-01",
            "effective_until": "2008-12-31",
        }
    ]
    page = run("--data-dir", str(FIXTURE), "cities", "show", "alpha", "--as-of", "2007-06").stdout
    assert (
        "Provisions in force (as of 2007-06):\n  - A pilot rate in the park (2006-07-01 to 2008-12-31; named, "
        "through Alpha Park)\n    [pilot] plan\n"
    ) in page
    page = run("--data-dir", str(FIXTURE), "cities", "show", "gamma", "--as-of", "2010").stdout
    assert "Provisions in force (as of 2010):\n  - none in the data\n" in page
    area = json.loads(
        run("--data-dir", str(FIXTURE), "areas", "show", "alpha-park", "--as-of", "2007", "--json").stdout
    )
    assert [p["provision"] for p in area["provisions"]] == ["pilot"]
    page = run("--data-dir", str(FIXTURE), "areas", "show", "alpha-park", "--as-of", "2015").stdout
    assert (
        "Provisions in force (as of 2015):\n"
        "  - A fund for model cities (2010-01-01 to no end stated; through its city Alpha: as model city)\n"
        "    [fund] plan\n"
        "  - The rate for the model cities listed (2014-01-01 to 2018-12-31; through its city Alpha: named, as "
        "model city)\n    [listed] plan\n"
    ) in page


def test_timeline_shows_a_provisions_spread(run):
    result = run("--data-dir", str(FIXTURE), "timeline", "--provision", "nation", "--json")
    rows = json.loads(result.stdout)
    assert [(r["id"], r["cities"], r["possibly"], r["reached"]) for r in rows] == [
        ("pilot", 1, 0, ["alpha"]),
        ("model", 1, 0, ["alpha"]),
        ("listed", 1, 0, ["alpha"]),
        ("nation", None, None, None),
    ]
    assert rows[0]["when"] == "2006-07-01 – 2008-12-31" and rows[3]["when"] == "2017 – …"
    both = run("--data-dir", str(FIXTURE), "timeline", "--provision", "nation", "--city", "alpha")
    assert both.exit_code == 2
    missing = run("--data-dir", str(FIXTURE), "timeline", "--provision", "nope")
    assert missing.exit_code == 1 and "no provision 'nope'" in missing.stderr


def test_spread_counts_a_title_only_possibly_held(base):
    fund = get(base, "provision", "fund")
    assert prov.reached_cities(base, fund, point_of("2016-06")) == {"alpha": "held", "beta": "possibly held"}


# -- the data's date ---------------------------------------------------------------------------------


def test_version_names_the_data_date_and_as_of_past_it_notes_it(run):
    from outsourcing_cli import __version__

    result = run("--data-dir", str(FIXTURE), "--version")
    assert result.stdout == f"oscli {__version__} (data to 2017)\n"  # nation's start: the newest dated fact
    later = run("--data-dir", str(FIXTURE), "cities", "list", "--as-of", "2030", "--json")
    assert later.exit_code == 0 and json.loads(later.stdout)
    assert "note: the data end at 2017 (the newest dated fact)" in later.stderr
    within = run("--data-dir", str(FIXTURE), "cities", "show", "alpha", "--as-of", "2017-06")
    assert within.exit_code == 0 and "data end" not in within.stderr
    past = run("--data-dir", str(FIXTURE), "provisions", "show", "nation", "--as-of", "2018")
    assert "note: the data end at 2017" in past.stderr


# -- search: document numbers in any bracket form ------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["国办函[2009]9号", "国办函〔2009〕9号", "国办函【2009】9号", "国办函(2009)9号", "国办函（2009）9号"]
)
def test_search_folds_the_brackets_of_document_numbers(run, typed):
    result = run("search", typed, "--type", "policy", "--json", "--limit", "0")
    hits = {(h["id"], h["field"], h["match"]) for h in json.loads(result.stdout)}
    assert ("reply-guobanhan-2009-9", "document_number", "exact") in hits


# -- the shipped data: exact sets (written against the records integrated from the research fragments) --


def _ids_in_force(base, city, as_of):
    return {p.id: r.status for p, r in prov.in_force_for(base, get(base, "city", city), as_of)}


# provisions whose start no source states: possibly in force from their document's year
_UNDATED_NATIONWIDE = {"training-fund-1000-100-10-local-match-2006": "possibly held"}


def test_suzhou_mid_2007_has_the_park_pilot_through_its_park(shipped):
    assert _ids_in_force(shipped, "suzhou", "2007-06-30") == {**_UNDATED_NATIONWIDE, "tase-eit-sip-pilot-2006": "held"}
    reach = {p.id: r for p, r in prov.in_force_for(shipped, get(shipped, "city", "suzhou"), "2007-06-30")}
    assert (reach["tase-eit-sip-pilot-2006"].via, reach["tase-eit-sip-pilot-2006"].area) == (
        "place",
        "suzhou-industrial-park",
    )


def test_suzhou_mid_2012(shipped):
    assert _ids_in_force(shipped, "suzhou", "2012-06-30") == {
        **_UNDATED_NATIONWIDE,
        "special-hours-model-cities-2009": "possibly held",
        "special-hours-outside-model-cities-2010": "possibly held",
        "model-city-support-package-2009": "possibly held",
        "tase-eit-sip-pilot-2006": "held",
        "tase-eit-model-cities-2009": "held",
        "tase-education-deduction-model-cities-2009": "held",
        "tase-recognition-relaxed-2010": "possibly held",
        "bt-exemption-tase-model-cities-2009": "held",
        "bt-exemption-model-cities-2010": "held",
    }


def test_suzhou_mid_2019(shipped):
    assert _ids_in_force(shipped, "suzhou", "2019-06-30") == {
        **_UNDATED_NATIONWIDE,
        "special-hours-model-cities-2009": "possibly held",
        "special-hours-outside-model-cities-2010": "possibly held",
        "model-city-support-package-2009": "possibly held",
        "training-certification-subsidies-2013": "possibly held",
        "tase-eit-sip-pilot-2006": "held",
        "tase-recognition-relaxed-2010": "possibly held",
        "tase-eit-nationwide-2017": "held",
        "tase-education-deduction-nationwide-2017": "held",
        "tase-eit-service-trade-nationwide-2018": "held",
        "vat-zero-rate-offshore-2016": "held",
    }


def test_dalian_mid_2007_has_neither_the_pilot_nor_the_model_city_tax(shipped):
    assert _ids_in_force(shipped, "dalian", "2007-06-30") == {
        **_UNDATED_NATIONWIDE,
        "moc-base-city-funds-2006": "possibly held",
    }


def test_hefei_mid_2008_is_not_yet_a_model_city(shipped):
    assert _ids_in_force(shipped, "hefei", "2008-06-30") == {
        **_UNDATED_NATIONWIDE,
        "moc-base-city-funds-2006": "possibly held",
        "funds-base-cities-2008": "possibly held",
    }


def test_a_model_city_provision_reaches_shenyang_from_2016(shipped):
    assert "tase-eit-new-model-cities-2016" not in _ids_in_force(shipped, "shenyang", "2015-12-31")
    assert _ids_in_force(shipped, "shenyang", "2016-12-31")["tase-eit-new-model-cities-2016"] == "held"
    # the 2014 circular lists its 21 cities: it never reached Shenyang
    assert "tase-eit-model-cities-2014" not in _ids_in_force(shipped, "shenyang", "2017-06-30")


def test_the_income_tax_spread_runs_pilot_20_21_nationwide(run):
    rows = json.loads(run("timeline", "--provision", "tase-eit-model-cities-2009", "--json").stdout)
    assert [(r["id"], r["cities"]) for r in rows] == [
        ("tase-eit-sip-pilot-2006", 1),
        ("tase-eit-model-cities-2009", 20),
        ("tase-eit-model-cities-2014", 21),
        ("tase-eit-new-model-cities-2016", 10),
        ("tase-eit-nationwide-2017", None),
        # 国办函〔2013〕33号 extended the model cities' tax policies to 2018; no page states its start
        ("model-city-tax-policies-extended-2013", 31),
    ]


def test_every_provision_has_sources_and_evidence_from_them(shipped):
    records = shipped.of("provision")
    assert len(records) >= 30
    for record in records:
        assert record.sources and record.evidence, record.id
        assert {e.source for e in record.evidence} <= set(record.sources), record.id
        assert all(e.excerpt and e.excerpt.strip() for e in record.evidence), record.id
        assert get(shipped, "policy", record.policy).sources, record.id


def test_check_is_clean_with_the_provisions(run):
    result = run("check")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1].startswith("0 errors, 0 warnings, ")
