"""What a reader sees is right (issue 20): every width, the flat formats, a stdout that cannot
encode, the notes on stderr, the order of dates and Chinese names, help that describes today's
data, and `sources open`. Driven through the real CLI (in-process, or the installed console
script on a real pseudo-terminal)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import DATA, oscli_executable
from test_terminal import on_a_terminal

# -- every width: values are never cut inside a word ---------------------------------------------

_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"


def _normal(text: str) -> str:
    """Text as read, whatever the layout: escape codes and box lines gone, whitespace as one space,
    and none next to a Han character (Chinese may wrap between any two characters)."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", text)
    text = re.sub(r"[│╭╮╰╯─┃━┏┓┗┛]", " ", text)
    text = " ".join(text.split())
    return re.sub(rf" (?=[{_WIDE}])|(?<=[{_WIDE}]) ", "", text)


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [value]
    return []


def _piped(*args: str) -> str:
    done = subprocess.run(
        [oscli_executable(), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


SHOWN = [
    ("cities", "xian"),
    ("policies", "11th-fyp"),
    ("designations", "dalian-base-city"),
    ("conflicts", "export-target"),
]


@pytest.mark.parametrize("command,record", SHOWN)
def test_every_value_of_a_show_page_is_whole_at_every_width(command, record):
    """Each value the piped page shows (taken from the record's JSON) appears on the terminal at
    40, 50, 60, 80 and 200 columns with no line break inside a word."""
    values = {_normal(s) for s in _strings(json.loads(_piped(command, "show", record, "--json"))) if s.strip()}
    plain = _normal(_piped(command, "show", record))
    shown = sorted(v for v in values if v in plain)
    assert len(shown) >= 5, shown
    for columns in (40, 50, 60, 80, 200):
        page = on_a_terminal(command, "show", record, columns=columns)
        assert "Traceback" not in page
        seen = _normal(page)
        missing = [v for v in shown if v not in seen]
        assert not missing, (columns, missing[:3], seen[:600])


def test_a_narrow_page_stacks_label_over_value():
    page = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("cities", "show", "xian", columns=40)).replace("\r", "")
    lines = page.splitlines()
    assert "Chinese name" in lines and lines[lines.index("Chinese name") + 1].strip() == "西安市", page
    assert "╭" not in page  # no box: it would take four of the forty columns
    wide = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("cities", "show", "xian", columns=100))
    assert "╭─ city xian" in wide


def test_a_table_too_wide_falls_back_to_records_not_to_cut_words():
    out = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("policies", "list", columns=40)).replace("\r", "")
    assert re.search(r"^ID +11th-fyp$", out, re.M), out[:500]
    title = "Outline of the Eleventh Five-Year Plan for National Economic and Social Development"
    assert title in _normal(out)
    for columns in (60, 80):  # a table that fits keeps each word of the title whole
        assert title in _normal(on_a_terminal("policies", "list", columns=columns))


# -- notes on stderr name only what the filters let through, with every combination ---------------


def _note(stderr: str) -> str:
    return " ".join(stderr.replace("oscli: note:", " ").split())


DESIGNATION_FILTERS = list(
    itertools.product(
        [None, "chongqing", "dalian"],
        [None, "base-city", "model-city"],
        [("--since", "2009"), ("--until", "2009"), ("--until", "2016-06")],
    )
)


@pytest.mark.parametrize("city,title,dated", DESIGNATION_FILTERS)
def test_the_undated_note_names_what_the_other_filters_let_through(run, city, title, dated):
    args = [*(["--city", city] if city else []), *(["--title", title] if title else []), *dated]
    kept = {d["id"] for d in json.loads(run("designations", "list", *args, "--json").stdout)}
    every = {d["id"] for d in json.loads(run("designations", "list", *args, "--include-undated", "--json").stdout)}
    left_out = sorted(every - kept)
    for command in (["designations", "list"], ["timeline"]):
        done = run(*command, *args, "--format", "csv")
        named = re.findall(r"undated designations? left out \(([^)]*)\)", _note(done.stderr))
        if left_out:
            assert named and sorted(named[0].split(", ")) == left_out, (command, args, done.stderr)
            assert f"{len(left_out)} undated" in done.stderr
        else:
            assert not named, (command, args, done.stderr)
    assert ("--include-undated keeps them" in run("designations", "list", *args).stderr) == bool(left_out)
    assert "--include-undated" not in run("timeline", *args).stderr  # timeline has no such option


CITY_FILTERS = list(
    itertools.product(
        [None, "base-city", "model-city"],
        [None, "2007-02", "2021"],
        [[], ["--primary"], ["--no-primary"], ["--province", "anhui"]],
    )
)


@pytest.mark.parametrize("title,as_of,others", CITY_FILTERS)
def test_the_possibly_held_note_names_the_listed_records(run, title, as_of, others):
    args = [*(["--title", title] if title else []), *(["--as-of", as_of] if as_of else []), *others]
    listed = json.loads(run("cities", "list", *args, "--json").stdout)
    possibly = sorted(
        f"{c['id']} ({t['title'].replace('-', ' ')})"
        for c in listed
        for t in c["titles"]
        if t["status"] == "possibly held"
    )
    note = _note(run("cities", "list", *args).stderr)
    found = re.search(r"(\d+) title\(s\) only possibly held at [^:]*: (.*?)\.(?: |$)", note)
    if (title or as_of) and possibly:
        assert found, (args, note)
        assert int(found.group(1)) == len(possibly) and sorted(found.group(2).split(", ")) == possibly
    else:
        assert not found, (args, note)


def test_a_city_title_s_total_is_not_a_note_on_areas(run):
    done = run("areas", "list", "--title", "base-city")
    assert "not named" not in done.stderr
    for title in ("base-city", "model-city", "showcase-area"):
        for kind in ("cities", "areas"):
            assert "not named in the data" not in run(kind, "list", "--title", title).stderr  # all are named


@pytest.mark.parametrize("since,until", [(None, "2009"), ("2016", None), ("2008", "2010")])
def test_the_timeline_chart_keeps_to_since_and_until(run, since, until):
    args = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    out = run("timeline", *args, "--format", "table", env={"COLUMNS": "120"}).stdout
    years = [int(y) for y in re.findall(r"^\s*(\d{4}) [█░ ]", out, re.M)]
    assert years, out[-800:]
    assert min(years) >= int(since or 0) and max(years) <= int(until or 9999)
    if until:
        assert max(years) == int(until)


# -- small untruths ---------------------------------------------------------------------------------


def test_search_without_a_match_writes_nothing_on_stdout(run):
    for fmt in ("plain", "csv", "tsv", "ndjson", "table"):
        done = run("search", "zzqxjv", "--exact", "--format", fmt)
        assert done.exit_code == 1 and done.stdout == "" and "nothing matches 'zzqxjv'" in done.stderr
    assert run("search", "zzqxjv", "--json").stdout == "[]\n"  # the data formats: their empty list
    on_a_tty = on_a_terminal("search", "zzqxjv", columns=80)
    assert "Search:" not in on_a_tty and "nothing matches 'zzqxjv'" in on_a_tty


def test_export_sqlite_to_a_dash_is_a_usage_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = run("export", "sqlite", "-")
    assert done.exit_code == 2 and "cannot be written to standard output" in " ".join(done.stderr.split())
    assert not (tmp_path / "-").exists()


def _yaml_names(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+\.yaml", " ".join(text.split())))


def test_help_and_osc001_name_every_data_file(run):
    files = {p.name for p in DATA.glob("*.yaml")}
    assert len(files) >= 5
    assert _yaml_names(run("--help", env={"COLUMNS": "200"}).stdout) == files
    rules = run("check", "--rules", "--format", "json")
    osc001 = next(r for r in json.loads(rules.stdout) if r["code"] == "OSC001")
    assert _yaml_names(json.dumps(osc001)) == files
    helped = " ".join(run("--help", env={"COLUMNS": "200"}).stdout.split())
    assert "primary outsourcing cities and showcase areas" not in helped
    assert "base cities, model cities, showcase areas and showcase bases" in helped


def test_policies_is_the_group_and_policy_a_hidden_alias(run):
    plural = run("policies", "show", "11th-fyp")
    assert plural.exit_code == 0 and "build a number of outsourcing bases" in plural.stdout
    assert run("policy", "show", "11th-fyp").stdout == plural.stdout  # the design card still works
    assert run("policy", "list").stdout == run("policies", "list").stdout
    helped = run("--help", env={"COLUMNS": "200"}).stdout
    assert re.search(r"^\s*│?\s*policies\s", helped, re.M) and not re.search(r"^\s*│?\s*policy\s", helped, re.M)
    assert "oscli policies list" in run("policies", "show", "11th-fpy").stderr


def test_policy_show_gives_each_quotation_s_chinese_beside_its_english(run):
    record = json.loads(run("policies", "show", "11th-fyp", "--json").stdout)
    quotes = [q for q in record["quotes"] if q["text_zh"]]
    assert quotes
    page = run("policies", "show", "11th-fyp").stdout
    lines = page.splitlines()
    for quote in quotes:
        english = next(i for i, line in enumerate(lines) if quote["text"][:40] in line)
        assert quote["text_zh"] in lines[english + 1]  # on the next line, under its English
    wide = _normal(
        run("policies", "show", "11th-fyp", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "120"}).stdout
    )
    assert all(_normal(q["text_zh"]) in wide for q in quotes)


# -- a stdout that cannot encode a character --------------------------------------------------------


def _ascii(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    return subprocess.run(
        [oscli_executable(), *args], capture_output=True, timeout=60, env={**env, "PYTHONIOENCODING": "ascii"}
    )


@pytest.mark.parametrize(
    "args",
    [
        ["cities", "list", "--json"],
        ["policies", "show", "11th-fyp", "--json"],
        ["search", "大连", "--format", "ndjson"],
        ["cite", "suzhou", "--format", "csl-json"],
        ["export", "geojson"],
    ],
)
def test_json_to_an_ascii_stdout_is_escaped_and_the_same_json(args):
    narrow = _ascii(*args)
    assert narrow.returncode == 0, narrow.stderr
    assert narrow.stderr == b""
    text = narrow.stdout.decode("ascii")  # nothing beyond ASCII
    assert "\\u" in text
    wide = subprocess.run([oscli_executable(), *args], capture_output=True, timeout=60)
    lines = text.splitlines() if "ndjson" in args else [text]
    wide_lines = wide.stdout.decode().splitlines() if "ndjson" in args else [wide.stdout.decode()]
    assert [json.loads(t) for t in lines] == [json.loads(t) for t in wide_lines]


@pytest.mark.parametrize(
    "args",
    [
        ["cities", "list"],
        ["cities", "show", "xian"],
        ["policies", "show", "11th-fyp"],
        ["cities", "list", "--format", "csv"],
        ["timeline"],
        ["cite", "dalian"],
    ],
)
def test_text_to_an_ascii_stdout_gets_a_replacement_and_one_warning(args):
    narrow = _ascii(*args)
    assert narrow.returncode == 0, narrow.stderr
    narrow.stdout.decode("ascii")
    assert "?" in narrow.stdout.decode()
    warnings = [line for line in narrow.stderr.decode().splitlines() if "warning" in line]
    assert len(warnings) == 1 and "(ascii) cannot write" in warnings[0], narrow.stderr


def test_an_ascii_terminal_draws_pages_and_tables():
    for args in (["cities", "show", "xian"], ["cities", "list"]):
        out = on_a_terminal(*args, columns=100, env={"PYTHONIOENCODING": "ascii"})
        assert "internal error" not in out and "Traceback" not in out
        assert "cannot write" in out and "Xi'an" in out


def test_yaml_to_an_ascii_stdout_is_escaped_and_the_same_yaml():
    import yaml

    narrow = _ascii("cities", "list", "--format", "yaml")
    assert narrow.returncode == 0 and narrow.stderr == b""
    wide = subprocess.run([oscli_executable(), "cities", "list", "--format", "yaml"], capture_output=True, timeout=60)
    assert yaml.safe_load(narrow.stdout.decode("ascii")) == yaml.safe_load(wide.stdout.decode())


# -- CSV and TSV: lists of ids with "; ", titles as ids, dotted --fields ---------------------------------


def _table(text: str, delimiter: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_flat_formats_give_titles_as_ids_by_default(run, fmt, delimiter):
    rows = {r["id"]: r for r in _table(run("cities", "list", "--format", fmt).stdout, delimiter)}
    assert "titles" in next(iter(rows.values()))
    assert rows["dalian"]["titles"] == "base-city; model-city"
    assert rows["chongqing"]["titles"] == "base-city (possibly); model-city"
    assert rows["dalian"]["designations"] == "dalian-base-city; dalian-model-city"
    assert rows["dalian"]["sources"] == "oj-article; mca-division-codes; geonames"
    early = {r["id"]: r for r in _table(run("cities", "list", "--as-of", "2007-02", "--format", fmt).stdout, delimiter)}
    assert early["hefei"]["titles"] == "base-city (possibly)"
    areas = _table(run("areas", "list", "--format", fmt).stdout, delimiter)
    assert all("{" not in r["titles"] for r in areas) and any(r["titles"] for r in areas)


@pytest.mark.parametrize("fmt,delimiter", [("csv", ","), ("tsv", "\t")])
def test_fields_take_dotted_paths(run, fmt, delimiter):
    rows = _table(
        run("cities", "list", "--format", fmt, "--fields", "id,titles,titles.title,titles.status").stdout, delimiter
    )
    chongqing = next(r for r in rows if r["id"] == "chongqing")
    assert chongqing == {
        "id": "chongqing",
        "titles": "base-city (possibly); model-city",
        "titles.title": "base-city; model-city",
        "titles.status": "possibly held; held",
    }
    listed = json.loads(run("cities", "list", "--json", "--fields", "id,titles.title").stdout)
    assert {"id": "dalian", "titles.title": ["base-city", "model-city"]} in listed
    quotes = run("policies", "show", "11th-fyp", "--fields", "quotes.text_zh", "--format", fmt).stdout
    assert "建设若干服务业外包基地" in quotes and "{" not in quotes
    bad = run("cities", "list", "--fields", "titles.titel")
    assert bad.exit_code == 2 and "did you mean 'title'" in " ".join(bad.stderr.split())
    assert run("cities", "list", "--fields", "name.x").exit_code == 2


def test_tsv_keeps_every_record_on_one_line(run):
    out = run("policies", "list", "--format", "tsv", "--fields", "id,statements.text").stdout
    lines = out.splitlines()
    assert lines[0] == "id\tstatements.text" and len(lines) == 1 + len(
        json.loads(run("policies", "list", "--json").stdout)
    )


# -- order: dates from a document number by their year, Chinese by pinyin ---------------------------


def test_dates_from_a_document_number_sort_by_their_year_and_undated_last(run):
    for reverse in ([], ["--reverse"]):
        listed = json.loads(run("policies", "list", "--sort", "date", *reverse, "--json").stdout)
        years = [(p["date"] or p["year_from_number"] or "")[:4] for p in listed]
        dated = [y for y in years if y]
        assert dated == sorted(dated, reverse=bool(reverse)), years
        assert years[len(dated) :] == [""] * (len(years) - len(dated))  # undated last, either way
        assert any(p["year_from_number"] for p in listed[: len(dated)])
    first = json.loads(run("policies", "list", "--sort", "date", "--json").stdout)[0]
    assert first["id"] == "shang-zi-han-2006-102"  # 2006, from [2006], before 2006-03


def test_chinese_names_sort_by_pinyin(run):
    names = [c["name_zh"] for c in json.loads(run("cities", "list", "--sort", "name_zh", "--json").stdout)]
    expected = [
        "北京市",
        "长春市",
        "长沙市",
        "成都市",
        "重庆市",
        "大连市",
    ]  # bei, chang chun, chang sha, cheng, chong, da
    assert names[:6] == expected, names
    assert names.index("西安市") < names.index("厦门市") < names.index("镇江市")  # xi, xia (厦 read xià), zhen
    assert names[::-1] == [
        c["name_zh"] for c in json.loads(run("cities", "list", "--sort", "name_zh", "--reverse", "--json").stdout)
    ]


def test_the_pinyin_dictionary_is_loaded_only_for_that_sort():
    probe = (
        "import sys\nfrom outsourcing_cli.cli.app import main\nsys.argv = ['oscli'] + sys.argv[1:]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nsys.stderr.write(str('pypinyin' in sys.modules))"
    )
    for args, loaded in (
        (["cities", "list", "--sort", "name"], "False"),
        (["cities", "list"], "False"),
        (["cities", "list", "--sort", "name_zh"], "True"),
    ):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=60)
        assert done.stderr.endswith(loaded), (args, done.stderr)


# -- sources open ------------------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path):
    """$BROWSER set to a small script that records the argument it is given, one per line."""
    record = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{record}'\n")
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "OSCLI_DATA_DIR")}
    env["BROWSER"] = str(script)
    return env, record


def _open(env, *args, cwd=None):
    return subprocess.run([oscli_executable(), *args], capture_output=True, text=True, timeout=60, env=env, cwd=cwd)


def test_sources_open_starts_the_browser_with_the_source_s_url(browser, run):
    env, record = browser
    url = json.loads(run("sources", "show", "oj-article", "--json").stdout)["url"]
    done = _open(env, "sources", "open", "OJ-Article")
    assert done.returncode == 0, done.stderr
    assert record.read_text().splitlines() == [url]
    assert done.stdout == "" and url in done.stderr


def test_sources_open_prints_the_url_where_there_is_no_display(browser, run):
    env, record = browser
    del env["BROWSER"]
    url = json.loads(run("sources", "show", "geonames", "--json").stdout)["url"]
    done = _open(env, "sources", "open", "geonames")
    assert done.returncode == 0 and done.stdout == url + "\n"
    assert not record.exists()


def test_sources_open_an_archived_copy_or_says_there_is_no_url(browser, data_copy):
    env, record = browser
    text = (data_copy / "sources.yaml").read_text(encoding="utf-8")
    archive = "https://web.archive.org/web/2026/https://www.geonames.org/"
    text = text.replace(
        "    url: https://www.geonames.org/\n", f"    url: https://www.geonames.org/\n    archive_url: {archive}\n", 1
    )
    (data_copy / "sources.yaml").write_text(text, encoding="utf-8")
    done = _open(env, "--data-dir", str(data_copy), "sources", "open", "geonames", "--archived")
    assert done.returncode == 0, done.stderr
    assert record.read_text().splitlines() == [archive]
    missing = _open(env, "sources", "open", "notice-shang-zi-han-2006-102")
    assert missing.returncode == 1 and "has no URL" in missing.stderr and not missing.stdout
    assert _open(env, "sources", "open", "no-such-source").returncode == 1
    assert record.read_text().splitlines() == [archive]  # nothing else was opened


def test_sources_open_no_browser_prints_the_url(browser):
    env, record = browser
    done = _open(env, "sources", "open", "geonames", "--no-browser")
    assert done.returncode == 0 and done.stdout == "https://www.geonames.org/\n" and not record.exists()
