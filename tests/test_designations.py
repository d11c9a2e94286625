"""Designations through time, through the CLI: --as-of, --title, the history on show pages, the
timeline and its chart."""

from __future__ import annotations

import json
import re

from conftest import flat

ELEVEN = [
    "dalian",
    "chengdu",
    "shanghai",
    "xian",
    "shenzhen",
    "beijing",
    "tianjin",
    "nanjing",
    "hangzhou",
    "jinan",
    "wuhan",
]


def _titles(run, *args):
    cities = json.loads(run("cities", "list", *args, "--json").stdout)
    return {c["id"]: {t["title"]: t["status"] for t in c["titles"]} for c in cities}


def test_as_of_2007_06_is_the_article_s_eleven_and_the_others_only_possibly(run):
    titles = _titles(run, "--as-of", "2007-06")
    held = sorted(c for c, t in titles.items() if t.get("base-city") == "held")
    assert held == sorted(ELEVEN)
    possibly = {c for c, t in titles.items() if t.get("base-city") == "possibly held"}
    assert possibly == {"hefei", "changsha", "guangzhou"}  # Guangzhou: between 2007-01-09 and 2008-02-01
    assert set(titles) == set(ELEVEN) | possibly


def test_as_of_2006_09_is_dalian_alone(run):
    result = run("cities", "list", "--as-of", "2006-09")
    assert result.stdout.splitlines()[1:] == ["dalian\tDalian\t大连市\tLiaoning\tyes\tbase-city"]
    assert _titles(run, "--as-of", "2006-09") == {"dalian": {"base-city": "held"}}


def test_model_cities_2009_and_2016(run):
    in_2009 = _titles(run, "--as-of", "2009-06", "--title", "model-city")
    assert len(in_2009) == 20 and all(t["model-city"] == "held" for t in in_2009.values())
    assert "xiamen" not in in_2009
    in_2016 = _titles(run, "--as-of", "2016-12", "--title", "model-city")
    assert len(in_2016) == 31 and all(t["model-city"] == "held" for t in in_2016.values())
    early = _titles(run, "--as-of", "2009-01-15", "--title", "model-city")
    assert len(early) == 20 and all(t["model-city"] == "possibly held" for t in early.values())


def test_the_title_filter_takes_a_name(run):
    assert _titles(run, "--title", "Model city", "--as-of", "2010") == _titles(
        run, "--title", "model-city", "--as-of", "2010"
    )


def test_as_of_on_show_and_the_history(run):
    suzhou = run("cities", "show", "suzhou")
    assert suzhou.exit_code == 0
    assert (
        "Titles (as of the newest data)           Model city (held, granted between 2009-01-01 and "
        "2009-02-02)" in suzhou.stdout
    )
    assert (
        "History:\n  - between 2009-01-01 and 2009-02-02: Model city granted; granted by State Council; "
        "one of the first 20; 国办函[2009]9号" in suzhou.stdout
    )
    before = json.loads(run("cities", "show", "suzhou", "--as-of", "2008", "--json").stdout)
    assert before["titles"] == [] and before["designations"] == ["suzhou-model-city"]
    dalian = json.loads(run("cities", "show", "dalian", "--as-of", "2006-08-04", "--json").stdout)
    assert dalian["titles"] == [
        {"title": "base-city", "status": "held", "since": "2006-08-04", "designation": "dalian-base-city"}
    ]


def test_as_of_is_a_strict_date(run):
    for bad in ("2007-13", "2007-02-30", "2007-1", "June 2007"):
        result = run("cities", "list", "--as-of", bad)
        assert result.exit_code == 2, bad
        assert "give YYYY, YYYY-MM or YYYY-MM-DD" in flat(result.stderr)
    assert run("policy", "list", "--since", "2007-13").exit_code == 2


def test_timeline_starts_with_dalian_and_marks_uncertain_dates(run):
    lines = run("timeline").stdout.splitlines()
    assert lines[0] == "When\tCity or area\tTitle\tEvent\tDocument"
    assert lines[1] == "2006-08-04\tDalian\tBase city\tgranted\t—"
    assert "between 2007-01-09 and 2008-01-11\tHefei\tBase city\tgranted\t—" in lines
    events = json.loads(run("timeline", "--json").stdout)
    assert events[0]["id"] == "dalian-base-city" and events[0]["uncertain"] is False
    hefei = next(e for e in events if e["id"] == "hefei-base-city")
    assert hefei["uncertain"] is True and hefei["not_before"] == "2007-01-09"
    first_dates = [re.search(r"\d{4}(-\d\d){0,2}", e["when"]).group() for e in events]
    assert first_dates == sorted(first_dates)  # in date order, uncertain ones by their bounds


def test_timeline_filters(run):
    ids = lambda *a: [e["id"] for e in json.loads(run("timeline", *a, "--json").stdout)]  # noqa: E731
    assert ids("--city", "suzhou") == ["suzhou-industrial-park-showcase-base", "suzhou-model-city"]
    assert len(ids("--title", "model-city", "--since", "2016", "--until", "2020")) == 10
    assert ids("--title", "model-city", "--since", "2021") == [
        "foshan-model-city",
        "guiyang-model-city",
        "luoyang-model-city",
        "xuzhou-model-city",
        "yantai-model-city",
        "yichang-model-city",
    ]
    assert ids("--title", "model-city", "--until", "2010")[-1] == "xiamen-model-city"


def test_timeline_chart_on_a_terminal(run):
    result = run("timeline", "--title", "model-city", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "120"})
    out = result.stdout
    assert "Model city: holders at the end of each year" in out
    assert re.search(r"2009\s+█{20}\s+20\s*\n", out) and re.search(r"2016\s+█{31}\s+31\s*\n", out)
    assert "\x1b" not in out
    piped = run("timeline", "--title", "model-city").stdout
    assert "█" not in piped  # in a pipe: plain rows only


def test_the_article_flag_agrees_with_the_designations(run):
    cities = {c["id"]: c for c in json.loads(run("cities", "list", "--primary", "--json").stdout)}
    assert sorted(cities) == sorted(ELEVEN)
    total = json.loads(run("totals", "show", "base-cities-article", "--json").stdout)
    assert total["primary_list"] is True and sorted(total["members"]) == sorted(ELEVEN)
    rules = run("check", "--rules").stdout
    assert "OSC402\terror\tprimary-flag-disagrees" in rules


def test_totals_and_unnamed_members_stay_visible(run):
    totals = {t["id"]: t for t in json.loads(run("totals", "list", "--json").stdout)}
    latest = totals["model-cities-2021"]
    assert (totals["model-cities-2021"]["count"], totals["model-cities-2021"]["date"]) == (31, "2021-06-17")
    assert "Six were added later in 2021" in totals["model-cities-2021"]["note"]
    latest = totals["model-cities-2022"]
    assert (latest["count"], latest["date"], latest["members"], latest["sources"]) == (
        37,
        "2022-12-02",
        [],
        ["cdcass-2022-12-02"],
    )
    assert "names none of them" in latest["note"]


def test_model_cities_at_the_end_of_2016_and_of_2022(run):
    in_2016 = _titles(run, "--as-of", "2016-12-31", "--title", "model-city")
    assert len(in_2016) == 31 and all(t["model-city"] == "held" for t in in_2016.values())
    in_2022 = _titles(run, "--as-of", "2022-12-31", "--title", "model-city")
    assert len(in_2022) == 37 and all(t["model-city"] == "held" for t in in_2022.values())
    assert set(in_2022) - set(in_2016) == {"xuzhou", "foshan", "yantai", "guiyang", "luoyang", "yichang"}
    mid_2021 = _titles(run, "--as-of", "2021-09", "--title", "model-city")
    assert sorted(c for c, t in mid_2021.items() if t["model-city"] == "possibly held") == [
        "foshan",
        "guiyang",
        "luoyang",
        "xuzhou",
        "yantai",
        "yichang",
    ]


def test_the_conflicts_are_listed(run):
    listed = [c["id"] for c in json.loads(run("conflicts", "list", "--json").stdout)]
    assert listed == [
        "export-target",
        "first-showcase-area",
        "twelfth-base-city",
        "second-batch-year",
        "model-cities-2009",
        "evaluation-2016-results",
    ]
    plain = run("conflicts", "list").stdout
    assert "model-cities-2009\tHow many model cities were named in 2009, 20 or 21?\t1" in plain
    xiamen = json.loads(run("designations", "show", "xiamen-model-city", "--json").stdout)
    assert xiamen["conflicts"] == ["model-cities-2009"]
