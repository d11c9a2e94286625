"""`oscli cite`: every format read back by a real consumer, Chinese intact."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from outsourcing_cli.citation import bib_escape

FYP_TITLE = "Outline of the Eleventh Five-Year Plan for National Economic and Social Development"
ARTICLE = "State-level policies and regional-level policies in China"
NOTICE_ZH = '商务部、信息产业部关于开展“中国服务外包基地城市”认定工作有关问题的通知'
NPC_TITLE = "Premier Wen Jiabao's words at the Fifth Session of the Tenth National People's Congress"


def unescape(text: str) -> str:
    for raw, escaped in (("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_")):
        text = text.replace(escaped, raw)
    return text


def test_text_citation_of_a_policy_names_the_source_that_quotes_it(run):
    result = run("cite", "11th-fyp")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{FYP_TITLE}. March 2006."
    assert lines[1].startswith(f"  Quoted in: Dextrys Co., Ltd., {ARTICLE}, outsourcing-journal.org, n.d., https://")


def test_text_citation_of_a_speech_and_a_circular(run):
    npc = run("cite", "NPC-2007").stdout.splitlines()[0]
    assert npc == (f"Premier Wen Jiabao. {NPC_TITLE}. Fifth Session of the Tenth National People's Congress. "
                   "5 March 2007.")
    circular = run("cite", "moc-circular-556").stdout.splitlines()[0]
    assert circular.startswith("Ministry of Commerce. Circular of Ministry of Commerce on Implementing")
    assert "Shang Zi Fa [2006] No.556" in circular and "16 October 2006" in circular


def test_bibtex_reads_back_with_the_same_fields(run):
    text = run("cite", "npc-2007", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "npc-2007" and entry.entry_type == "misc"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == NPC_TITLE
    assert fields["author"] == "{Premier Wen Jiabao}"
    assert (fields["year"], fields["month"], fields["date"]) == ("2007", "mar", "2007-03-05")
    assert fields["eventtitle"] == "Fifth Session of the Tenth National People's Congress"
    assert fields["note"].startswith("Quoted in: Dextrys Co., Ltd.")


def test_bibtex_keeps_chinese_and_escapes_specials(run):
    text = run("cite", "notice-shang-zi-han-2006-102", "--format", "bibtex").stdout
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry.fields_dict["title"].value == NOTICE_ZH
    assert bib_escape("R&D 100% #1 a_b") == r"R\&D 100\% \#1 a\_b"
    assert unescape(bib_escape("R&D 100%")) == "R&D 100%"


def test_whole_bibliography_in_bibtex(run):
    text = run("cite", "--all", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    keys = [e.key for e in library.entries]
    policies = [p["id"] for p in json.loads(run("policy", "list", "--json").stdout)]
    sources = [s["id"] for s in json.loads(run("sources", "list", "--json").stdout)]
    assert keys == policies + sources and len(set(keys)) == len(keys)
    article = library.entries[keys.index("oj-article")].fields_dict
    assert article["title"].value == ARTICLE and article["publisher"].value == "outsourcing-journal.org"
    assert "year" not in article  # the article is undated: never guessed


def render_with_citeproc(items: list[dict]) -> list[str]:
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_csl_json_renders_through_citeproc(run):
    items = json.loads(run("cite", "11th-fyp", "--format", "csl-json").stdout)
    assert items[0]["issued"] == {"date-parts": [[2006, 3]]}
    (entry,) = render_with_citeproc(items)
    assert FYP_TITLE in entry and "2006" in entry


def test_csl_json_keeps_chinese_through_citeproc(run):
    items = json.loads(run("cite", "--all", "--format", "csl-json").stdout)
    notice = [i for i in items if i["id"] == "notice-shang-zi-han-2006-102"]
    assert notice[0]["title"] == NOTICE_ZH
    rendered = render_with_citeproc(items)
    assert any(NOTICE_ZH in entry for entry in rendered)
    assert any("Ministry of Commerce" in entry and "Thousand-Hundred-Ten" in entry for entry in rendered)


def test_ris_reads_back_with_standard_tags(run):
    text = run("cite", "china-daily-2008-01-11", "--format", "ris").stdout
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "NEWS"
    assert entry["publisher"] == "China.org.cn"  # China.org.cn reprinting China Daily
    assert entry["year"] == "2008" and entry["date"] == "2008/01/11"
    assert entry["urls"] == ["http://english.china.org.cn/china/local/2008-01/11/content_1238962.htm"]
    assert entry["title"].startswith("[")  # no headline in the stored copy: a description, in brackets


def test_ris_whole_bibliography_with_chinese(run):
    entries = rispy.loads(run("cite", "--all", "--format", "ris").stdout)
    by_id = {e["id"]: e for e in entries}
    assert by_id["notice-shang-zi-han-2006-102"]["title"] == NOTICE_ZH
    assert by_id["shang-zi-han-2006-102"]["authors"] == ["Ministry of Commerce", "Ministry of Information Industry"]
    assert by_id["11th-fyp"]["date"] == "2006/03/"  # RIS DA: YYYY/MM/DD, day unknown


@pytest.mark.parametrize("args", [["cite"], ["cite", "11th-fyp", "--all"], ["cite", "11th-fyp", "-f", "mla"]])
def test_cite_usage_errors(run, args):
    assert run(*args).exit_code == 2


def test_cite_unknown_id(run):
    result = run("cite", "11th-fpy")
    assert result.exit_code == 1 and "did you mean '11th-fyp'?" in result.stderr


def test_cite_only_policies_and_sources(run):
    assert run("cite", "dalian").exit_code == 1


def test_show_json_resolves_sources(run):
    city = json.loads(run("cities", "show", "dalian", "--json").stdout)
    assert [s["id"] for s in city["source_records"]] == ["oj-article", "mca-division-codes", "geonames"]
    assert city["source_records"][0]["publisher"] == "outsourcing-journal.org"


@pytest.mark.parametrize("fmt", ["text", "bibtex", "csl-json", "ris"])
def test_readme_shows_the_real_citation_of_11th_fyp(run, fmt):
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert run("cite", "11th-fyp", "--format", fmt).stdout.rstrip() in readme
