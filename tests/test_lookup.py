"""Lookup a reader can trust: one resolver for every place a record is named (show, cite, --city,
--province), undated records under a date filter, counting and limits."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import DATA


@pytest.mark.parametrize("typed", ["xian", "XIAN", "Xi'an", "Xi’an", "Xī'ān", "xi-an", "西安", "西安市"])
def test_a_city_by_id_english_or_chinese_name(run, typed):
    result = run("cities", "show", typed, "--json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["id"] == "xian"


@pytest.mark.parametrize(
    "typed, expected",
    [("苏州", "suzhou"), ("苏州市", "suzhou"), ("Ürümqi", "urumqi"), ("urumqi", "urumqi"), ("乌鲁木齐", "urumqi")],
)
def test_chinese_names_and_accents(run, typed, expected):
    assert json.loads(run("cities", "show", typed, "--json").stdout)["id"] == expected


def test_other_kinds_by_name(run):
    assert json.loads(run("areas", "show", "苏州工业园区", "--json").stdout)["id"] == "suzhou-industrial-park"
    assert json.loads(run("agencies", "show", "商务部", "--json").stdout)["id"] == "moc"
    assert json.loads(run("titles", "show", "Model city", "--json").stdout)["id"] == "model-city"


def test_province_and_city_filters_take_names(run):
    ids = lambda *a: [c["id"] for c in json.loads(run(*a, "--json").stdout)]  # noqa: E731
    assert (
        ids("cities", "list", "--province", "江苏")
        == ids("cities", "list", "--province", "Jiangsu")
        == ["nanjing", "suzhou", "wuxi", "nantong", "zhenjiang", "xuzhou"]
    )
    assert ids("cities", "list", "--province", "江苏省") == ids("cities", "list", "--province", "jiangsu")
    assert ids("areas", "list", "--city", "苏州") == ["suzhou-industrial-park"]
    assert ids("areas", "list", "--city", "Dalian") == ["dalian-software-park"]
    assert ids("designations", "list", "--city", "苏州") == [
        "suzhou-industrial-park-showcase-base",
        "suzhou-model-city",
    ]


def test_suggestions_name_the_closest_few_never_all(run):
    result = run("areas", "list", "--city", "Atlantis")
    assert result.exit_code == 1
    assert "no area has city 'Atlantis'" in result.stderr
    assert result.stderr.count("'") <= 2 + 2 * 3  # the value typed and at most three suggestions
    misspelt = run("cities", "show", "shenzen")
    assert misspelt.exit_code == 1 and "did you mean 'shenzhen'" in misspelt.stderr


def test_an_ambiguous_name_lists_the_candidates(run, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "cities.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  - id: fuzhou\n    name: Fuzhou\n", "  - id: fuzhou\n    name: Suzhou\n"), encoding="utf-8"
    )
    result = run("--data-dir", str(data), "cities", "show", "Suzhou")
    assert result.exit_code == 0  # the id wins
    named = run("--data-dir", str(data), "cities", "show", "Sūzhōu")
    assert named.exit_code == 1
    assert "'Sūzhōu' names more than one city: suzhou (Suzhou), fuzhou (Suzhou). Give the id." in named.stderr


def test_a_date_filter_uses_the_year_in_a_document_number_and_says_what_it_left_out(run):
    result = run("policy", "list", "--since", "2007", "--json")
    found = json.loads(result.stdout)
    assert [p["id"] for p in found][:3] == ["npc-2007", "reply-guobanhan-2009-9", "guofa-2014-67"]
    assert len(found) == 28  # and the audit's evaluations and the 20 documents behind the provisions (issue 18)
    reply = found[1]
    assert (reply["date"], reply["year_from_number"], reply["when"]) == (
        None,
        "2009",
        "2009 (from its document number)",
    )  # marked as derived; the stated date stays null
    undated = [
        "1000-100-10",
        "model-city-evaluation-2021",
        "notice-2010-service-outsourcing-funds",
        "plan-outsourcing-2011-2015",
        "notice-2016-tase-ten-new-model-cities",
    ]
    assert f"5 undated policies left out ({', '.join(undated)}); --include-undated keeps them." in result.stderr
    kept = json.loads(run("policy", "list", "--since", "2007", "--include-undated", "--json").stdout)
    assert set(undated) <= {p["id"] for p in kept}
    assert [p["id"] for p in json.loads(run("policy", "list", "--until", "2006", "--json").stdout)] == [
        "11th-fyp",
        "moc-circular-556",
        "shang-zi-han-2006-102",
        "shang-zi-han-2006-111",
        "caishui-2006-147",
    ]


def test_count_by_in_every_format(run):
    plain = run("cities", "list", "--count-by", "province").stdout.splitlines()
    assert plain[:3] == ["Province\tCount", "Jiangsu\t6", "Guangdong\t3"]
    counted = json.loads(run("cities", "list", "--count-by", "province", "--json").stdout)
    assert sum(c["count"] for c in counted) == 37 and counted[0] == {"province": "Jiangsu", "count": 6}
    titles = json.loads(run("cities", "list", "--count-by", "titles", "--as-of", "2009-06", "--json").stdout)
    assert titles == [{"titles": "model-city", "count": 20}, {"titles": "base-city", "count": 15}]
    csv_text = run("designations", "list", "--count-by", "title", "--format", "csv").stdout
    assert csv_text.splitlines()[:3] == ["\ufefftitle,count", "model-city,37", "base-city,15"]
    bad = run("cities", "list", "--count-by", "provnce")
    assert bad.exit_code == 2 and "did you mean 'province'" in bad.stderr


def test_limit_on_every_list(run):
    result = run("designations", "list", "--limit", "3", "--json")
    assert [d["id"] for d in json.loads(result.stdout)] == [
        "dalian-base-city",
        "dalian-software-park-showcase-area",
        "chengdu-base-city",
    ]
    plain = run("sources", "list", "--limit", "2")
    assert len(plain.stdout.splitlines()) == 3 and "showing 2 of" in plain.stderr


# -- names as people type them: traditional characters, accents, historical and romanised names ----


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("蘇州", "suzhou"),
        ("蘇州市", "suzhou"),
        ("廣州", "guangzhou"),
        ("大連", "dalian"),
        ("大連市", "dalian"),
        ("烏魯木齊", "urumqi"),
        ("Dàlián", "dalian"),
        ("Da\u0300lia\u0301n", "dalian"),
        ("Canton", "guangzhou"),
        ("Amoy", "xiamen"),
        ("Peking", "beijing"),
        ("tsingtao", "qingdao"),
        ("Lüda", "dalian"),
        ("Luda", "dalian"),
        ("Soochow", "suzhou"),
        ("Tihwa", "urumqi"),
    ],
)
def test_traditional_characters_accents_and_other_names_find_the_city(run, typed, expected):
    result = run("cities", "show", typed, "--json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["id"] == expected
    assert run("cite", typed).stdout.startswith(f"{json.loads(result.stdout)['name']} (city {expected})")


def test_traditional_characters_in_filters(run):
    ids = lambda *a: [c["id"] for c in json.loads(run(*a, "--json").stdout)]  # noqa: E731
    assert (
        ids("cities", "list", "--province", "江蘇")
        == ids("cities", "list", "--province", "江苏")
        == ["nanjing", "suzhou", "wuxi", "nantong", "zhenjiang", "xuzhou"]
    )
    assert (
        ids("areas", "list", "--city", "蘇州")
        == ids("areas", "list", "--city", "Soochow")
        == ["suzhou-industrial-park"]
    )


def test_a_city_shows_its_other_names_with_their_sources(run):
    city = json.loads(run("cities", "show", "guangzhou", "--json").stdout)
    assert city["aliases"] == [
        {"name": "Canton", "sources": ["yale-bfs-guangzhou"]},
        {"name": "Kwangchow", "sources": ["yale-bfs-guangzhou"]},
    ]
    page = run("cities", "show", "guangzhou").stdout
    assert "Other names" in page and "Canton" in page and "Kwangchow" in page
    assert json.loads(run("cities", "show", "shanghai", "--json").stdout)["aliases"] == []
