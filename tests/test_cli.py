"""The commands, driven through the real Typer app, asserting the facts they print."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA

PRIMARY = [
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
ARTICLE_URL = (
    "https://outsourcing-journal.org/state-level-policies-and-regional-level-policies-in-china-"
    "part-2-of-the-series-about-chinas-outsourcing-destinations/"
)


# -- cities ---------------------------------------------------------------------------------------


def test_cities_list_plain_is_tab_separated_with_the_facts(run):
    result = run("cities", "list")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == "ID\tName\tChinese\tProvince\tPrimary\tTitles"
    assert "dalian\tDalian\t大连市\tLiaoning\tyes\tbase-city, model-city" in lines
    assert "xian\tXi'an\t西安市\tShaanxi\tyes\tbase-city, model-city" in lines
    assert "suzhou\tSuzhou\t苏州市\tJiangsu\tno\tmodel-city" in lines
    assert "chongqing\tChongqing\t重庆市\tChongqing\tno\tbase-city (possibly), model-city" in lines
    assert len(lines) == 1 + 37
    assert "\x1b" not in result.stdout


def test_cities_list_json_contract(run):
    result = run("cities", "list", "--json")
    assert result.exit_code == 0
    cities = json.loads(result.stdout)
    assert [c["id"] for c in cities][:12] == [*PRIMARY, "suzhou"]
    assert len(cities) == 37
    for city in cities:
        assert {
            "id",
            "name",
            "name_zh",
            "province",
            "primary_outsourcing_city",
            "showcase_areas",
            "sources",
        } <= city.keys()
        assert {"mca-division-codes", "geonames"} <= set(city["sources"])
        assert ("oj-article" in city["sources"]) == (city["id"] in [*PRIMARY, "suzhou"])
    by_id = {c["id"]: c for c in cities}
    assert all(by_id[i]["primary_outsourcing_city"] is True for i in PRIMARY)
    assert by_id["suzhou"]["primary_outsourcing_city"] is False
    assert by_id["suzhou"]["showcase_areas"] == ["suzhou-industrial-park"]
    assert by_id["shanghai"]["province_type"] == "municipality"
    assert by_id["nanning"]["province_type"] == "autonomous region"
    assert by_id["wuhan"]["name_zh"] == "武汉市" and by_id["wuhan"]["division_code"] == "420100"
    assert by_id["suzhou"]["geonames_id"] == 1886760  # 苏州 in Jiangsu, not 宿州 in Anhui
    assert by_id["dalian"]["designations"] == ["dalian-base-city", "dalian-model-city"]
    assert by_id["dalian"]["titles"] == [
        {"title": "base-city", "status": "held", "since": "2006-08-04", "designation": "dalian-base-city"},
        {"title": "model-city", "status": "held", "since": None, "designation": "dalian-model-city"},
    ]


def test_json_keeps_chinese_as_utf8_not_escapes(run):
    result = run("cities", "show", "beijing", "--json")
    assert "北京" in result.stdout and "\\u" not in result.stdout


@pytest.mark.parametrize("typed", ["xian", "XIAN", "Xian", "  xian "])
def test_ids_match_case_insensitively(run, typed):
    result = run("cities", "show", typed, "--json")
    assert result.exit_code == 0, result
    assert json.loads(result.stdout)["name"] == "Xi'an"


def test_city_show_plain_has_fields_and_sources(run):
    result = run("cities", "show", "suzhou")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("city suzhou: Suzhou\n")
    assert "Primary outsourcing city (2007 article)  no" in out
    assert "does not\nlist Suzhou" not in out and "does not list Suzhou among the 11" in out
    assert "[mca-division-codes]" in out and ARTICLE_URL in out
    assert "general-reference" not in out and "source_records" not in out
    assert "Note outsourcing" not in out and "Province-level division                  province" in out


# -- areas ----------------------------------------------------------------------------------------


def test_areas_list_and_show(run):
    listed = {a["id"]: a for a in json.loads(run("areas", "list", "--json").stdout)}
    assert list(listed) == ["suzhou-industrial-park", "dalian-software-park", "daqing-service-outsourcing-park"]
    park = listed["suzhou-industrial-park"]
    assert [s["id"] for s in park.pop("source_records")] == [
        "oj-article",
        "sohu-2007-05-13-sip",
        "sipac-sino-singapore",
    ]
    assert {k: park[k] for k in ("name", "name_zh", "city", "level", "established", "sources", "designations")} == {
        "name": "Suzhou Industrial Park",
        "name_zh": "苏州工业园区",
        "city": "suzhou",
        "level": "state",
        "established": "1994-02",
        "sources": ["oj-article", "sohu-2007-05-13-sip", "sipac-sino-singapore"],
        "designations": ["suzhou-industrial-park-showcase-base"],
    }
    assert park["acknowledgements"][0]["rule"] == "OSC401"
    assert park["titles"] == [
        {
            "title": "showcase-base",
            "status": "held",
            "since": "2007-05-12",
            "designation": "suzhou-industrial-park-showcase-base",
        }
    ]
    assert listed["daqing-service-outsourcing-park"]["name"] is None  # no source gives an English name
    shown = run("areas", "show", "Suzhou-Industrial-Park")
    assert shown.exit_code == 0
    assert "A known exception to rule OSC401 (" in shown.stdout
    # in plain words: when the exception ended
    assert "Resolved when Suzhou became a model city (between 2009-01-01 and 2009-02-02)." in shown.stdout
    assert "History:\n  - 2007-05-12: Showcase base granted; granted by Ministry of Commerce" in shown.stdout
    assert "Sources disagree: Which area was the project's first showcase area?" in shown.stdout
    dalian_park = run("areas", "show", "dalian-software-park").stdout
    assert "Level" not in dalian_park and "Established" not in dalian_park  # null fields are not printed


# -- policies -------------------------------------------------------------------------------------


def test_policy_list(run):
    result = run("policy", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "ID\tDate\tType\tTitle"
    assert (
        "11th-fyp\t2006-03\tplan\tOutline of the Eleventh Five-Year Plan for National Economic and Social Development"
    ) in lines
    assert (
        "npc-2007\t2007-03-05\tspeech\tPremier Wen Jiabao's words at the Fifth Session of the Tenth National "
        "People's Congress"
    ) in lines
    assert "1000-100-10\t—\tproject\t1,000-100-10 Project" in lines
    assert (
        "moc-circular-556\t2006-10-16\tcircular\tCircular of Ministry of Commerce on Implementing the "
        '"Thousand-Hundred-Ten Project" of Service Outsourcing'
    ) in lines


def test_policy_show_quotes_word_for_word_with_citation(run):
    result = run("policy", "show", "11th-fyp")
    assert result.exit_code == 0
    out = result.stdout
    assert (
        "\u201cChina should accelerate the change of foreign trade growth pattern and build a number of "
        "outsourcing bases to undertake the transfer of the international service industry.\u201d"
    ) in out
    assert "Sources:" in out
    assert (
        "State-level policies and regional-level policies in China. Dextrys Co., Ltd. "
        "outsourcing-journal.org. n.d. " + ARTICLE_URL
    ) in out


def test_policy_show_json(run):
    npc = json.loads(run("policy", "show", "NPC-2007", "--json").stdout)
    assert npc["date"] == "2007-03-05"
    assert npc["speaker"] == "Premier Wen Jiabao"
    assert npc["occasion"] == "Fifth Session of the Tenth National People's Congress"
    assert npc["quotes"] == [
        {
            "text": "China should actively participate in international outsourcing and upgrade its service "
            "industry\u00a0development.",  # the article's no-break space, kept
            "source": "oj-article",
            "speaker": "Premier Wen Jiabao",
            "text_zh": None,
            "text_zh_source": None,
        }
    ]
    fyp = json.loads(run("policy", "show", "11th-fyp", "--json").stdout)
    assert fyp["date"] == "2006-03" and fyp["title"].startswith("Outline of the Eleventh Five-Year Plan")


def test_project_record_names_agencies_support_funds_and_model(run):
    project = json.loads(run("policy", "show", "1000-100-10", "--json").stdout)
    selection = [d for d in project["designations"] if d["role"].startswith("select")]
    assert selection[0]["agencies"] == ["moc", "mii", "most", "moe", "mof"]
    assert any(d["role"].startswith("leads") and d["agencies"] == ["moc"] for d in project["designations"])
    topics = {s["topic"]: s for s in project["statements"]}
    assert "macroeconomic policies, planning, investment, coordination" in topics["support"]["text"]
    assert "public information platforms" in topics["special-purpose funds"]["text"]
    assert '"primary outsourcing city + showcase area"' in topics["model"]["text"]
    assert project["quotes"] == []  # nothing in the article about the project is an official quotation


def test_policy_show_on_a_terminal_is_a_rich_panel(run):
    result = run("policy", "show", "11th-fyp", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout  # coloured
    assert "╭─ policy 11th-fyp" in re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "outsourcing-journal.org" in result.stdout


def test_no_color_means_no_ansi_even_on_a_terminal(run):
    result = run("policy", "show", "11th-fyp", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert "╭─ policy 11th-fyp" in result.stdout
    assert "\x1b" not in result.stdout
    listed = run("cities", "list", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "大连" in listed.stdout and "\x1b" not in listed.stdout


# -- agencies, terms, sources --------------------------------------------------------------------


def test_agencies(run):
    agencies = json.loads(run("agencies", "list", "--json").stdout)
    assert [(a["abbr"], a["name"], a["name_zh"]) for a in agencies] == [
        ("MOC", "Ministry of Commerce", "商务部"),
        ("MII", "Ministry of Information Industry", "信息产业部"),
        ("MIIT", "Ministry of Industry and Information Technology", "工业和信息化部"),
        ("MOST", "Ministry of Science and Technology", "科学技术部"),
        ("MOE", "Ministry of Education", "教育部"),
        ("MOF", "Ministry of Finance", "财政部"),
        ("State Council", "State Council", "国务院"),
    ]
    shown = run("agencies", "show", "MII")
    assert "Replaced on 29 June 2008 by the Ministry of Industry and Information Technology" in shown.stdout


def test_terms_carry_the_article_definitions(run):
    terms = {t["id"]: t for t in json.loads(run("terms", "list", "--json").stdout)}
    assert set(terms) == {"primary-outsourcing-city", "showcase-area"}
    assert terms["primary-outsourcing-city"]["definition"].startswith(
        "A primary outsourcing city refers to a major city with offshore outsourcing services"
    )
    assert (
        "a national economic and technical development zone, a high-tech park, or a software park."
        in terms["showcase-area"]["definition"]
    )
    shown = run("terms", "show", "showcase-area")
    assert "Definition:" in shown.stdout and "[oj-article]" in shown.stdout


def test_sources(run):
    sources = {s["id"]: s for s in json.loads(run("sources", "list", "--json").stdout)}
    article = sources["oj-article"]
    assert article["title"] == "State-level policies and regional-level policies in China"
    assert article["publisher"] == "outsourcing-journal.org"
    assert article["url"] == ARTICLE_URL
    assert article["date"] is None  # the article is undated: never guessed
    shown = run("sources", "show", "oj-article")
    assert "Cited by:" in shown.stdout and "policy 11th-fyp" in shown.stdout and "city suzhou" in shown.stdout


# -- errors and exit codes ------------------------------------------------------------------------


def test_unknown_id_exits_1_and_suggests(run):
    result = run("policy", "show", "11th-fpy")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no policy '11th-fpy'; did you mean '11th-fyp'? Run `oscli policies list`" in result.stderr


def test_unknown_id_without_close_match_still_helps(run):
    result = run("cities", "show", "atlantis")
    assert result.exit_code == 1
    assert "no city 'atlantis'" in result.stderr and "oscli cities list" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["citys", "list"],
        ["cities", "lst"],
        ["cities", "list", "--jsn"],
        ["cities", "show"],
        ["--data-dir", "/no/such/dir", "cities", "list"],
    ],
)
def test_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_unknown_command_suggests(run):
    stderr = " ".join(run("citys", "list").stderr.split())
    assert "No such command 'citys'. Did you mean" in stderr and "'cities'" in stderr


def test_invalid_data_exits_3_and_points_to_check(run, data_copy):
    path = data_copy / "cities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Dalian", "name: [Dalian", 1), encoding="utf-8")
    result = run("--data-dir", str(data_copy), "cities", "list")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "cities.yaml:" in result.stderr and "error OSC003" in result.stderr
    assert f"Run `oscli --data-dir {data_copy} check` for every problem" in result.stderr


def test_data_dir_from_environment(run, data_copy):
    path = data_copy / "cities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Dalian", "name: Dairen"), encoding="utf-8")
    result = run("cities", "show", "dalian", "--json", env={"OSCLI_DATA_DIR": str(data_copy)})
    assert json.loads(result.stdout)["name"] == "Dairen"


# -- check, version, help -------------------------------------------------------------------------


def test_check_passes_on_shipped_data_and_shows_the_acknowledged_exception(run):
    result = run("check")
    assert result.exit_code == 0, result
    assert (
        "acknowledged OSC401 showcase area 'suzhou-industrial-park' became showcase-base (2007-05-12) while "
        "its city 'suzhou' held no title"
    ) in result.stdout
    assert result.stdout.splitlines()[-1].startswith("0 errors, 0 warnings, 2 acknowledged in ")


def test_version(run):
    from outsourcing_cli import __version__

    result = run("--version")
    # issue 18: the version line names the data's date, the newest dated fact of the shipped data
    from outsourcing_cli.domain.currency import data_date
    from outsourcing_cli.store.cache import validated
    from outsourcing_cli.store.paths import packaged_data_dir

    date = data_date(validated(packaged_data_dir()).base)
    assert date is not None
    assert result.exit_code == 0 and result.stdout == f"oscli {__version__} (data to {date})\n"


@pytest.mark.parametrize("args", [[], ["cities"], ["policy", "show"], ["check"]])
def test_help_has_examples(run, args):
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert "oscli" in result.stdout


def test_shipped_data_is_the_packaged_data():
    from outsourcing_cli.store.paths import packaged_data_dir

    assert (packaged_data_dir() / "cities.yaml").read_bytes() == (DATA / "cities.yaml").read_bytes()
