"""--format, --fields, filters and sorting on list and show, asserting the facts printed."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
import yaml
from conftest import flat

from outsourcing_cli.domain import kinds
from outsourcing_cli.present import views
from outsourcing_cli.store.load import load
from outsourcing_cli.store.paths import packaged_data_dir


def _csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "CSV starts with a UTF-8 BOM for spreadsheets"
    return list(csv.DictReader(io.StringIO(text[1:])))


# -- formats ----------------------------------------------------------------------------------------


def test_csv_keeps_chinese_and_joins_lists_as_documented(run):
    result = run("cities", "list", "--format", "csv")
    assert result.exit_code == 0, result
    assert (
        result.stdout.splitlines()[0] == "\ufeffid,name,name_zh,province,province_zh,province_type,division_code,"
        "geonames_id,latitude,longitude,primary_outsourcing_city,showcase_areas,designations,titles,note,conflicts,sources"
    )
    rows = {r["id"]: r for r in _csv(result.stdout)}
    assert rows["suzhou"]["name_zh"] == "苏州市" and rows["suzhou"]["division_code"] == "320500"
    assert rows["suzhou"]["primary_outsourcing_city"] == "false"
    assert rows["dalian"]["primary_outsourcing_city"] == "true"
    assert rows["suzhou"]["showcase_areas"] == "suzhou-industrial-park"
    assert rows["xian"]["showcase_areas"] == ""  # null and empty lists are empty cells
    assert rows["dalian"]["sources"] == "oj-article; mca-division-codes; geonames"
    assert rows["dalian"]["longitude"] == "121.60222"


def test_csv_nested_objects_are_compact_json(run):
    result = run("policy", "show", "11th-fyp", "--format", "csv", "--fields", "id,quotes")
    (row,) = _csv(result.stdout)
    quotes = json.loads(row["quotes"])
    assert quotes[0]["text"].startswith("China should accelerate the change of foreign trade growth pattern")
    assert quotes[0]["source"] == "oj-article"


def test_csv_imports_into_sqlite_with_chinese_intact(run):
    """The README's CSV import, done with Python's csv and sqlite3 modules."""
    rows = _csv(run("cities", "list", "--format", "csv", "--fields", "id,name_zh,province").stdout)
    db = sqlite3.connect(":memory:")
    db.execute("create table cities (id text primary key, name_zh text, province text)")
    db.executemany("insert into cities values (:id, :name_zh, :province)", rows)
    assert db.execute("select name_zh from cities where province = 'Jiangsu' order by id").fetchall() == [
        ("南京市",),
        ("南通市",),
        ("苏州市",),
        ("无锡市",),
        ("徐州市",),
        ("镇江市",),
    ]


def test_ndjson_is_one_object_per_line(run):
    result = run("cities", "list", "--format", "ndjson")
    lines = result.stdout.splitlines()
    assert len(lines) == 37
    objects = [json.loads(line) for line in lines]
    assert objects[0]["id"] == "dalian" and objects[0]["name_zh"] == "大连市"
    assert objects == json.loads(run("cities", "list", "--json").stdout)


def test_yaml_round_trips_to_the_json_contract(run):
    as_yaml = yaml.safe_load(run("policy", "show", "npc-2007", "--format", "yaml").stdout)
    as_json = json.loads(run("policy", "show", "npc-2007", "--json").stdout)
    assert as_yaml == as_json
    assert as_yaml["speaker"] == "Premier Wen Jiabao"
    assert "苏州" in run("cities", "list", "--format", "yaml").stdout  # not escaped


def test_json_flag_is_the_short_form_of_format_json(run):
    assert run("terms", "list", "--json").stdout == run("terms", "list", "--format", "json").stdout


def test_json_and_another_format_contradict(run):
    result = run("cities", "list", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert "contradict" in result.stderr


def test_table_format_in_a_pipe_draws_boxes_without_escape_codes(run):
    result = run("agencies", "list", "--format", "table")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "Ministry of Commerce" in result.stdout and "┃" in result.stdout


def test_plain_format_on_a_terminal_is_tab_separated(run):
    result = run("agencies", "list", "--format", "plain", env={"FORCE_COLOR": "1"})
    assert result.stdout.splitlines()[0] == "ID\tAbbr\tName\tChinese"
    assert "\x1b" not in result.stdout


def test_format_is_validated(run):
    result = run("cities", "list", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr and "csv" in result.stderr


# -- fields -----------------------------------------------------------------------------------------


def test_fields_select_and_order_in_every_format(run):
    args = ("cities", "list", "--fields", "name_zh,id")
    assert run(*args).stdout.splitlines()[:2] == ["Chinese\tID", "大连市\tdalian"]
    assert json.loads(run(*args, "--json").stdout)[0] == {"name_zh": "大连市", "id": "dalian"}
    assert list(json.loads(run(*args, "--format", "ndjson").stdout.splitlines()[0])) == ["name_zh", "id"]
    assert run(*args, "--format", "csv").stdout.splitlines()[1] == "大连市,dalian"
    assert yaml.safe_load(run(*args, "--format", "yaml").stdout)[0] == {"name_zh": "大连市", "id": "dalian"}


def test_fields_on_show(run):
    result = run("cities", "show", "xian", "--fields", "name,province")
    assert result.stdout.splitlines() == ["city xian: Xi'an", "  name      Xi'an", "  province  Shaanxi"]
    assert json.loads(run("cities", "show", "xian", "--fields", "name,province", "--json").stdout) == {
        "name": "Xi'an",
        "province": "Shaanxi",
    }


def test_unknown_field_is_a_usage_error_listing_the_valid_ones(run):
    result = run("cities", "list", "--fields", "id,nme")
    assert result.exit_code == 2
    message = flat(result.stderr)
    assert "no field 'nme' in city; did you mean 'name'" in message
    assert "Valid fields: id, name, name_zh, aliases, province, province_zh, province_type, division_code" in message


def test_fields_help_lists_the_fields_of_that_entity(run):
    result = run("policy", "list", "--fields", "help")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == kinds.get("policy").field_names
    assert re.search(r"^document_number +official document number$", result.stdout, re.M)


@pytest.mark.parametrize("kind", kinds.names())
def test_documented_fields_are_exactly_the_json_keys(kind):
    """The registry's fields (for --fields, --fields help and the README) are to_dict's keys."""
    base = load(packaged_data_dir()).base
    assert base.of(kind), f"the shipped data has no {kind}"
    for record in base.of(kind):
        assert list(views.to_dict(base, record)) == kinds.get(kind).field_names
    assert all(f.description for f in kinds.get(kind).fields)


# -- filters and sorting ------------------------------------------------------------------------------


def test_province_filter_ignores_case(run):
    result = run("cities", "list", "--province", "jiangsu", "--fields", "id")
    assert result.stdout.splitlines() == ["ID", "nanjing", "suzhou", "wuxi", "nantong", "zhenjiang", "xuzhou"]


def test_unknown_province_exits_1_and_suggests(run):
    result = run("cities", "list", "--province", "Jiangsuu")
    assert result.exit_code == 1
    assert "no city has province 'Jiangsuu'; did you mean 'Jiangsu'" in result.stderr


def test_primary_and_no_primary(run):
    primary = json.loads(run("cities", "list", "--primary", "--json").stdout)
    others = json.loads(run("cities", "list", "--no-primary", "--json").stdout)
    assert len(primary) == 11 and all(c["primary_outsourcing_city"] for c in primary)
    assert len(others) == 26 and others[0]["id"] == "suzhou" and not any(c["primary_outsourcing_city"] for c in others)
    combined = run("cities", "list", "--province", "jiangsu", "--primary", "--fields", "id")
    assert combined.stdout.splitlines() == ["ID", "nanjing"]


def test_areas_by_city_id_or_name(run):
    assert run("areas", "list", "--city", "suzhou", "--fields", "id").stdout.splitlines() == [
        "ID",
        "suzhou-industrial-park",
    ]
    assert run("areas", "list", "--city", "Suzhou", "--fields", "id").stdout.splitlines()[1] == "suzhou-industrial-park"
    known_but_empty = run("areas", "list", "--city", "xian", "--json")
    assert known_but_empty.exit_code == 0 and json.loads(known_but_empty.stdout) == []
    unknown = run("areas", "list", "--city", "suzou")
    assert unknown.exit_code == 1 and "did you mean 'suzhou'" in unknown.stderr


def test_policy_since_and_until(run):
    ids = lambda *a: [p["id"] for p in json.loads(run("policy", "list", *a, "--json").stdout)]  # noqa: E731
    # the reply carries its year in its number ([2009]); the project is undated: left out
    audit = [
        "guofa-2014-67",
        "model-city-evaluation-index-2009",
        "model-city-evaluation-2014",
        "model-city-evaluation-2016",
        "model-city-evaluation-method-2018",
        "model-city-evaluation-2019-2020",
    ]
    # (issue 18's documents behind the provisions, in the data's order, after the audit's)
    provision_documents = [
        "caiqi-2008-140",
        "caiqi-2009-44",
        "caiqi-2009-200",
        "renshebufa-2009-36",
        "jinrenshejufa-2009-7",
        "renshebufa-2010-56",
        "guobanhan-2013-33",
        "shangfumaofa-2020-12",
        "plan-outsourcing-13th-fyp",
        "caishui-2009-63",
        "guobanhan-2010-69",
        "caishui-2010-65",
        "caishui-2014-59",
        "caishui-2016-122",
        "caishui-2017-79",
        "caishui-2018-44",
        "caishui-2010-64",
        "caishui-2013-37",
        "caishui-2013-106",
        "caishui-2016-36",
    ]
    assert ids("--since", "2007") == ["npc-2007", "reply-guobanhan-2009-9", *audit, *provision_documents]
    assert ids("--since", "2006-03", "--until", "2006-12") == ["11th-fyp", "moc-circular-556", "caishui-2006-147"]
    # 2006-03 is within 2006, and so are the notices numbered [2006]
    assert ids("--until", "2006") == [
        "11th-fyp",
        "moc-circular-556",
        "shang-zi-han-2006-102",
        "shang-zi-han-2006-111",
        "caishui-2006-147",
    ]
    assert ids("--since", "2007-03-05", "--until", "2007-03-05") == ["npc-2007"]
    assert ids("--since", "2008") == ["reply-guobanhan-2009-9", *audit, *provision_documents]
    assert ids("--since", "2015", "--until", "2016") == [
        "model-city-evaluation-2014",
        "model-city-evaluation-2016",
        "caishui-2016-122",
        "caishui-2016-36",
    ]
    bad = run("policy", "list", "--since", "March 2007")
    assert bad.exit_code == 2 and "'March 2007' is not a date; give YYYY, YYYY-MM or YYYY-MM-DD" in flat(bad.stderr)


def test_sort_and_reverse(run):
    names = lambda *a: [c["name"] for c in json.loads(run("cities", "list", *a, "--json").stdout)]  # noqa: E731
    assert names("--sort", "name")[:3] == ["Beijing", "Changchun", "Changsha"]
    assert names("--sort", "name", "--reverse")[:2] == ["Zhenjiang", "Zhengzhou"]
    assert names("--reverse")[0] == "Yichang"  # the data's order, reversed
    dates = [p["date"] for p in json.loads(run("policy", "list", "--sort", "date", "--json").stdout)]
    # issue 20: a date from the document number ([2006]) sorts by its year, before 2006-03
    assert dates[:6] == [None, None, "2006-03", "2006-10-16", "2006-12-31", "2007-03-05"]
    assert dates[-1] is None  # undated last, even reversed
    assert [p["date"] for p in json.loads(run("policy", "list", "--sort", "date", "--reverse", "--json").stdout)][
        -1
    ] is None


def test_unknown_sort_field_lists_sortable_ones(run):
    result = run("cities", "list", "--sort", "nam")
    assert result.exit_code == 2
    message = flat(result.stderr)
    assert "did you mean 'name'" in message and "Sortable fields: id, name, name_zh, province" in message
