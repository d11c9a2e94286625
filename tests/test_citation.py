"""`oscli cite`: every format read back by a real consumer, Chinese intact.

BibTeX goes through bibtex(1) with plain.bst, biblatex through biber's data-model check,
CSL-JSON through citeproc-py, RIS through rispy, both .bib dialects through bibtexparser. The
tests that need bibtex or biber skip when the tool is missing, unless OSCLI_REQUIRE_TEX is set
(as CI sets it): then a missing tool is a failure, so that CI never skips them silently.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import bibtexparser
import pytest
import rispy
import typer.main
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from conftest import FIXTURES, ROOT

from outsourcing_cli.cli.app import app
from outsourcing_cli.domain import kinds
from outsourcing_cli.present import output
from outsourcing_cli.present.citation import excerpt_text
from outsourcing_cli.present.cite_bibtex import bib_escape

FYP_TITLE = "Outline of the Eleventh Five-Year Plan for National Economic and Social Development"
ARTICLE = "State-level policies and regional-level policies in China"
NOTICE_ZH = "商务部、信息产业部关于开展“中国服务外包基地城市”认定工作有关问题的通知"
NPC_TITLE = "Premier Wen Jiabao's words at the Fifth Session of the Tenth National People's Congress"
TARGET = "Make 2010 service outsourcing exports four times those of 2005."
EXCERPT = "实现2010年服务外包出口额在2005年的基础上翻两番。"

# what bibtexparser 1.x keeps by default (ignore_nonstandard_types=True), and the fields of
# classic BibTeX (plain.bst and the BibTeX manual): nothing biblatex-only
STANDARD_TYPES = {
    "article",
    "book",
    "booklet",
    "conference",
    "inbook",
    "incollection",
    "inproceedings",
    "manual",
    "mastersthesis",
    "misc",
    "phdthesis",
    "proceedings",
    "techreport",
    "unpublished",
}
CLASSIC_FIELDS = {
    "address",
    "annote",
    "author",
    "booktitle",
    "chapter",
    "crossref",
    "edition",
    "editor",
    "howpublished",
    "institution",
    "journal",
    "key",
    "month",
    "note",
    "number",
    "organization",
    "pages",
    "publisher",
    "school",
    "series",
    "title",
    "type",
    "volume",
    "year",
}


def unescape(text: str) -> str:
    for raw, escaped in (("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_")):
        text = text.replace(escaped, raw)
    return text


def fields_of(entry) -> dict[str, str]:
    return {f.key: f.value for f in entry.fields}


# -- real tools ------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """The path of bibtex or biber; skip without it, unless OSCLI_REQUIRE_TEX says it must be there."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("OSCLI_REQUIRE_TEX"):
            pytest.fail(
                f"{name} is not installed, and OSCLI_REQUIRE_TEX is set: install what .ci/run installs "
                "(texlive-base, biber, texlive-latex-base, texlive-latex-recommended, texlive-bibtex-extra, "
                "poppler-utils)"
            )
        pytest.skip(f"{name} is not installed (OSCLI_REQUIRE_TEX=1 makes this a failure)")
    return found


def run_bibtex(directory: Path, bib: str) -> tuple[str, str]:
    """bibtex(1) with plain.bst on every entry of ``bib``: (the .blg log, the .bbl)."""
    (directory / "oscli.bib").write_text(bib, encoding="utf-8")
    (directory / "doc.aux").write_text("\\citation{*}\n\\bibdata{oscli}\n\\bibstyle{plain}\n", encoding="utf-8")
    done = subprocess.run([tool("bibtex"), "doc"], cwd=directory, capture_output=True, text=True, timeout=120)
    blg = (directory / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, (done.stdout, blg)
    return blg, (directory / "doc.bbl").read_text(encoding="utf-8")


def bibtex_warnings(blg: str) -> list[str]:
    """BibTeX's warnings and errors: "Warning--" lines, the "(There were N warnings)" summary, and
    the count of the style's warning$ calls (which must be 0)."""
    found = [
        line
        for line in blg.splitlines()
        if line.startswith("Warning--")
        or "error message" in line
        or re.match(r"\(There (was|were) \d+ warnings?\)", line)
    ]
    calls = re.search(r"^warning\$ -- (\d+)$", blg, re.M)
    if calls and calls.group(1) != "0":
        found.append(calls.group(0))
    return found


def run_biber(directory: Path, bib: str) -> list[str]:
    """``biber --tool --validate-datamodel`` on ``bib``: its WARN and ERROR lines (stdout and log)."""
    (directory / "oscli.bib").write_text(bib, encoding="utf-8")
    done = subprocess.run(
        [tool("biber"), "--tool", "--validate-datamodel", "oscli.bib"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = (directory / "oscli.bib.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, (done.stdout, done.stderr, log)
    lines = (done.stdout + done.stderr + log).splitlines()
    problems = sorted(
        {re.sub(r"^.*?(WARN|ERROR) - ", r"\1 - ", line) for line in lines if re.search(r"\b(WARN|ERROR) - ", line)}
    )
    summary = [line for line in lines if "WARNINGS:" in line or "ERRORS:" in line]
    assert bool(summary) == bool(problems), (summary, problems)
    return problems


# -- a small data directory with evidence, every type of entry, and an id two kinds share ----------

SOURCES_EXTRA = """
  - id: xinhua
    title: "[Xinhua dispatch on the service outsourcing targets]"
    type: news
    publisher: 经济参考报
    date: 2007-11-29
    url: http://jjckb.xinhuanet.com/gnyw/2007-11/29/content_75852.htm
    accessed: 2026-11-25
    language: zh
  - id: daily
    title: Ten base cities by 2010
    type: news
    author: Li Wen
    publisher: China Daily
    date: 2008-01-11
    url: http://example.org/daily?id=1&page=2#top
    accessed: 2026-11-25
    language: en
  - id: law-page
    title: Circular of Ministry of Commerce on Service Outsourcing
    type: legal-text
    publisher: AsianLII
    date: 2006-10-01
    url: http://example.org/law/556
    accessed: 2026-11-25
    language: en
  - id: stats
    title: Service outsourcing statistics 100% & more
    type: dataset
    publisher: MOC
    url: https://example.org/stats
    language: en
"""

POLICIES_EXTRA = """
  - id: circular
    title: Circular on the MOC and MII "Base Cities"
    type: circular
    date: 2006-10-12
    document_number: Shang Zi Fa [2006] No. 556
    designations:
      - role: issuer
        agencies: [moc]
        sources: [law-page]
    sources: [law-page]
  - id: speech
    title: Report on the Work of the Government
    type: speech
    date: 2007-03-05
    speaker: Premier Wen Jiabao
    occasion: Fifth Session of the Tenth National People's Congress
    sources: [daily, stats]
  - id: project
    title: The project
    type: project
    date: 2006
    sources: [src]
"""


@pytest.fixture
def evidence_dir(tmp_path) -> Path:
    """The minimal data, with a target and a Chinese name backed by evidence entries, complete
    sources of each type, a circular, a speech, and a term whose id is also a city's."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", target)
    sources = target / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(
            "    url: https://example.org/a\n",
            "    date: 2007\n    url: https://example.org/a\n    accessed: 2026-11-25\n    language: en\n",
        )
        + SOURCES_EXTRA,
        encoding="utf-8",
    )
    policies = target / "policies.yaml"
    text = policies.read_text(encoding="utf-8").replace(
        """        source: src
    sources: [src]
""",
        f"""        source: src
    targets:
      - text: {TARGET}
        sources: [xinhua]
    evidence:
      - source: xinhua
        claim: targets[0]
        excerpt: {EXCERPT}
        locator: paragraph 3
    sources: [src, xinhua]
"""
        + POLICIES_EXTRA.rstrip("\n")
        + "\n",
        1,
    )
    text += """  - id: alpha
    term: alpha
    definition: The first letter.
    sources: [src]
"""
    policies.write_text(text, encoding="utf-8")
    cities = target / "cities.yaml"
    cities.write_text(
        cities.read_text(encoding="utf-8").replace(
            """    primary_outsourcing_city: true
    sources: [src]""",
            """    name_zh: 阿尔法
    primary_outsourcing_city: true
    evidence:
      - source: xinhua
        claim: name_zh
        excerpt: 阿尔法市
        locator: headline
    sources: [src, xinhua]""",
            1,
        ),
        encoding="utf-8",
    )
    return target


def test_the_evidence_data_is_valid(run, evidence_dir):
    result = run("--data-dir", str(evidence_dir), "check", "--strict")
    assert result.exit_code == 0, result


# -- text ---------------------------------------------------------------------------------------


def test_text_citation_of_a_policy_names_the_source_that_quotes_it(run):
    result = run("cite", "11th-fyp")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"{FYP_TITLE}. March 2006."
    assert lines[1].startswith(f"  Quoted in: Dextrys Co., Ltd., {ARTICLE}, outsourcing-journal.org, n.d., https://")


def test_text_citation_of_a_speech_and_a_circular(run):
    npc = run("cite", "NPC-2007").stdout.splitlines()[0]
    assert npc == (
        f"Premier Wen Jiabao. {NPC_TITLE}. Fifth Session of the Tenth National People's Congress. 5 March 2007."
    )
    circular = run("cite", "moc-circular-556").stdout.splitlines()[0]
    assert circular.startswith("Ministry of Commerce. Circular of Ministry of Commerce on Implementing")
    assert "Shang Zi Fa [2006] No.556" in circular and "16 October 2006" in circular


# -- classic BibTeX -------------------------------------------------------------------------------


def test_bibtex_reads_back_with_the_same_fields(run):
    text = run("cite", "npc-2007", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "npc-2007" and entry.entry_type == "misc"
    fields = fields_of(entry)
    assert fields["title"] == "{" + NPC_TITLE + "}"  # protected: plain.bst keeps its case
    assert fields["author"] == "{Premier Wen Jiabao}"
    assert (fields["year"], fields["month"]) == ("2007", "mar")
    assert fields["howpublished"] == "Fifth Session of the Tenth National People's Congress"
    assert fields["note"].startswith("Quoted in: Dextrys Co., Ltd.")


def test_bibtex_is_classic(run):
    """Standard entry types and fields only; the month a bare macro; titles and institutions in
    braces; the URL in howpublished, the access date in the note."""
    text = run("cite", "--all", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    for entry in library.entries:
        assert entry.entry_type in STANDARD_TYPES, entry.key  # bibtexparser 1.x would keep it too
        assert set(fields_of(entry)) <= CLASSIC_FIELDS, (entry.key, set(fields_of(entry)) - CLASSIC_FIELDS)
    assert "month = mar,\n" in text and "month = {" not in text
    assert re.search(r"^  date|^  urldate|^  langid|^  eventtitle|^  url =", text, re.M) is None
    assert "  title = {{Circular of Ministry of Commerce on Implementing" in text
    assert "  author = {{Dextrys Co., Ltd.}},\n" in text
    assert "  author = {{Ministry of Commerce} and {Ministry of Information Industry}},\n" in text
    oj = fields_of(library.entries[[e.key for e in library.entries].index("oj-article")])
    assert oj["howpublished"].startswith("\\url{https://outsourcing-journal.org/")


def test_bibtex_keeps_chinese_and_escapes_specials(run):
    text = run("cite", "notice-shang-zi-han-2006-102", "--format", "bibtex").stdout
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry.fields_dict["title"].value == "{" + NOTICE_ZH + "}"
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
    assert article["title"].value == "{" + ARTICLE + "}" and article["publisher"].value == "outsourcing-journal.org"
    assert "year" not in article  # the article is undated: never guessed


def test_bibtex_runs_through_bibtex_and_plain_bst_without_a_warning(run, tmp_path):
    text = run("cite", "--all", "--format", "bibtex").stdout
    blg, bbl = run_bibtex(tmp_path, text)
    assert bibtex_warnings(blg) == [], blg
    assert "warning" not in "\n".join(line for line in blg.splitlines() if not line.startswith("warning$ --")).lower()
    flat = " ".join(bbl.split())
    keys = [e.key for e in bibtexparser.parse_string(text).entries]
    assert sorted(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == sorted(keys)
    assert "MOC and MII notice on recognising" in flat and "Moc and mii" not in flat  # titles keep their case
    assert "{Dextrys Co., Ltd.}" in flat and NOTICE_ZH in flat
    assert "\\url{https://outsourcing-journal.org/state-level-policies" in flat


def test_bibtex_types_beyond_misc_run_through_bibtex_too(run, tmp_path, evidence_dir):
    """With every field a type requires, a circular is a @techreport and a signed news item an
    @article, and plain.bst still has nothing to warn about."""
    text = run("--data-dir", str(evidence_dir), "cite", "--all", "--format", "bibtex").stdout
    library = bibtexparser.parse_string(text)
    types = {e.key: e.entry_type for e in library.entries}
    assert (types["circular"], types["daily"], types["xinhua"]) == ("techreport", "article", "misc")
    circular = fields_of(library.entries[list(types).index("circular")])
    assert (circular["type"], circular["number"], circular["institution"]) == (
        "Circular",
        "Shang Zi Fa [2006] No. 556",
        "Ministry of Commerce",
    )
    daily = fields_of(library.entries[list(types).index("daily")])
    assert daily["journal"] == "China Daily" and "\\url{http://example.org/daily?id=1&page=2#top}" in daily["note"]
    blg, bbl = run_bibtex(tmp_path, text)
    assert bibtex_warnings(blg) == [], blg
    assert "Service outsourcing statistics 100\\% \\& more" in " ".join(bbl.split())


# -- biblatex -----------------------------------------------------------------------------------


def test_biblatex_has_the_richer_fields(run):
    text = run("cite", "--all", "--format", "biblatex").stdout
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    by_key = {e.key: e for e in library.entries}
    assert by_key["oj-article"].entry_type == "online"
    assert by_key["npc-2007"].entry_type == "unpublished"
    assert by_key["moc-circular-556"].entry_type == "report"
    assert all(e.entry_type != "legislation" for e in library.entries)  # no fields in biblatex's data model
    npc = fields_of(by_key["npc-2007"])
    assert (npc["date"], npc["langid"], npc["eventtitle"]) == (
        "2007-03-05",
        "english",
        "Fifth Session of the Tenth National People's Congress",
    )
    assert fields_of(by_key["notice-shang-zi-han-2006-102"])["langid"] == "chinese"
    assert fields_of(by_key["china-daily-2008-01-11"])["url"].startswith("http://english.china.org.cn/")
    assert fields_of(by_key["11th-fyp"])["date"] == "2006-03"


def test_biblatex_passes_biber_datamodel_validation(run, tmp_path):
    """The shipped data, every policy and source: biber has nothing to say but that the undated
    works have no date, which biblatex's data model calls mandatory and its author-year styles
    print as "n.d." An undated work has no date field at all (never a guessed date, nor an open
    range such as ../2026-11-25, which author-year styles print as "–2026"), and keeps urldate."""
    text = run("cite", "--all", "--format", "biblatex").stdout
    library = bibtexparser.parse_string(text)
    entries = {e.key: fields_of(e) for e in library.entries}
    # a @dataset needs no date in biblatex's data model
    undated = [e.key for e in library.entries if "date" not in fields_of(e) and e.entry_type != "dataset"]
    assert {"oj-article", "1000-100-10", "reply-guobanhan-2009-9"} <= set(undated)
    assert run_biber(tmp_path, text) == sorted(
        f"WARN - Datamodel: Entry '{key}' (oscli.bib): Missing mandatory field - one of 'date, year' must be defined"
        for key in undated
    )
    assert "date" not in entries["oj-article"] and entries["oj-article"]["urldate"] == "2026-11-25"
    assert not any(fields.get("date", "").startswith("..") for fields in entries.values())
    assert entries["11th-fyp"]["date"] == "2006-03"


def test_biblatex_of_complete_records_has_no_warning_at_all(run, tmp_path, evidence_dir):
    """Every entry type oscli writes (@online, @article, @report, @unpublished, @dataset, @misc),
    with the values each requires: biber --validate-datamodel has nothing to say."""
    text = run("--data-dir", str(evidence_dir), "cite", "--all", "--format", "biblatex").stdout
    types = {e.key: e.entry_type for e in bibtexparser.parse_string(text).entries}
    assert {"online", "article", "report", "unpublished", "dataset", "misc"} <= set(types.values()), types
    assert run_biber(tmp_path, text) == []


def typeset_with_biblatex(directory: Path, bib: str, style: str, preamble: str = "") -> str:
    """A LaTeX document citing every entry of ``bib`` in a biblatex ``style``, run through pdflatex,
    biber and pdflatex again: its bibliography as pdftotext reads it, one line per entry."""
    (directory / "oscli.bib").write_text(bib, encoding="utf-8")
    (directory / "doc.tex").write_text(
        "\\documentclass{article}\n"
        f"\\usepackage[style={style},backend=biber]{{biblatex}}\n{preamble}"
        "\\addbibresource{oscli.bib}\n\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    for step in (
        [tool("pdflatex"), "-interaction=nonstopmode", "doc"],
        [tool("biber"), "doc"],
        [tool("pdflatex"), "-interaction=nonstopmode", "doc"],
    ):
        done = subprocess.run(step, cwd=directory, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (step, done.stdout[-3000:])
    text = subprocess.run(
        [tool("pdftotext"), "doc.pdf", "-"], cwd=directory, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return " ".join(text.split())


# biblatex's default labeldate falls back on urldate (the year a page was read) before "n.d.";
# a document that cites undated web pages declares it without urldate, as biblatex-apa does
NO_URLDATE_LABEL = (
    "\\DeclareLabeldate{\\field{date}\\field{year}\\field{eventdate}\\field{origdate}\\literal{nodate}}\n"
)


@pytest.mark.parametrize(
    ("style", "preamble", "expected"),
    [
        ("authoryear", NO_URLDATE_LABEL, f"Dextrys Co., Ltd. (n.d.). {ARTICLE}. outsourcing-journal.org."),
        ("ext-authoryear", NO_URLDATE_LABEL, f"Dextrys Co., Ltd. (n.d.). {ARTICLE}. outsourcing-journal.org."),
        ("apa", "", f"Dextrys Co., Ltd. (n.d.). {ARTICLE}. outsourcing-journal.org. Retrieved November 25, 2026"),
    ],
)
def test_an_undated_article_is_n_d_in_author_year_styles(run, tmp_path, style, preamble, expected):
    """Typeset by biblatex and biber: the undated 2007 article is "n.d.", never "–2026" (an open
    range) nor a guessed year, and the day it was read is still printed."""
    text = run("cite", "oj-article", "--format", "biblatex").stdout
    rendered = typeset_with_biblatex(tmp_path, text, style, preamble)
    assert rendered.startswith(f"References {expected}"), rendered
    assert "(2026)" not in rendered and "(\u2013" not in rendered
    assert "11/25/2026" in rendered or "November 25, 2026" in rendered  # urldate kept


# -- CSL-JSON and RIS -----------------------------------------------------------------------------


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


def test_csl_json_gives_an_outlet_as_its_container_and_every_item_a_url(run):
    """A newspaper or a website is the container a style prints ("China Daily", 经济参考报), not a
    publisher that author-date styles leave out; a policy has the address of the source that
    prints it; a reposted page names the outlet it reprints."""
    items = {i["id"]: i for i in json.loads(run("cite", "--all", "--format", "csl-json").stdout)}
    daily, jjckb = items["chinadaily-2009-02-02"], items["xinhua-jjckb-2007-11-29"]
    assert (daily["container-title"], jjckb["container-title"]) == ("China Daily", "经济参考报")
    assert "publisher" not in daily and daily["original-publisher"] == "Xinhua"
    assert items["china-daily-2008-01-11"]["original-publisher"] == "China Daily"
    assert items["kpmg-inside-the-dragon"]["publisher"].startswith("KPMG China")  # a report: its publisher
    assert "container-title" not in items["kpmg-inside-the-dragon"]
    assert items["11th-fyp"]["URL"].startswith("https://outsourcing-journal.org/")  # quoted there
    policies = {p["id"] for p in json.loads(run("policy", "list", "--json").stdout)}
    with_sources = {s["id"]: s for s in json.loads(run("sources", "list", "--json").stdout)}
    for key, item in items.items():
        if key in with_sources:
            assert item.get("URL") == with_sources[key]["url"], key
        elif key in policies:  # the first of its sources that has an address
            shown = json.loads(run("policy", "show", key, "--json").stdout)
            assert item.get("URL") == next((s["url"] for s in shown["source_records"] if s["url"]), None), key
    # only the two notices cited by their numbers alone (read at a bare IP address) have no address
    assert {key for key in policies if "URL" not in items[key]} == {"shang-zi-han-2006-102", "shang-zi-han-2006-111"}
    rendered = render_with_citeproc([daily, jjckb, items["11th-fyp"]])
    assert "China Daily, 2 February" in rendered[0], rendered
    assert any("经济参考报, 29 November" in entry for entry in rendered), rendered
    assert any(
        entry.startswith("Outline of the Eleventh") and "Available at: https://outsourcing-journal.org/" in entry
        for entry in rendered
    ), rendered


def test_json_flag_is_csl_json(run):
    assert run("cite", "11th-fyp", "--json").stdout == run("cite", "11th-fyp", "--format", "csl-json").stdout


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


# -- cite anything ----------------------------------------------------------------------------------


def first_of_each_kind(run) -> list[tuple[str, str]]:
    """(kind, id of its first record) for every kind in the registry that has records."""
    found = []
    for name, declared in kinds.KINDS.items():
        records = json.loads(run(declared.command, "list", "--json").stdout)
        found += [(name, records[0]["id"])] if records else []
    assert len(found) >= 6
    return found


@pytest.mark.parametrize("fmt", [f.value for f in output.CITATION_FORMATS])
def test_every_kind_in_the_registry_can_be_cited_in_every_format(run, fmt):
    for kind, record_id in first_of_each_kind(run):
        result = run("cite", record_id, "--type", kind, "--format", fmt)
        assert result.exit_code == 0, (kind, record_id, result)
        assert result.stdout.strip(), (kind, record_id)


def test_a_record_is_cited_by_its_sources(run):
    """A city is no document: its sources are, each with a note saying what it supports."""
    text = run("cite", "dalian").stdout
    lines = text.splitlines()
    # 3 of its own, 1 for its other names (Lüda, Dairen), 5 of its designations (the audit added the
    # jjckb dispatch that names the 20 model cities of 2009)
    assert lines[0] == "Dalian (city dalian), supported by 9 sources:"
    assert lines[2].startswith(f"Dextrys Co., Ltd. {ARTICLE}. outsourcing-journal.org. n.d. https://")
    assert lines[3] == "  Supports city dalian (Dalian): the record"
    assert lines[5].startswith(
        "中华人民共和国县级以上行政区划代码. 民政部 (Ministry of Civil Affairs). 31 December 2020."
    )
    assert lines[6] == (
        "  Supports city dalian (Dalian): the record; name_zh \u201c210200 大连市\u201d (data/2020.txt, "
        "line 474), as recorded on 2026-11-25; province_zh \u201c210000 辽宁省\u201d (data/2020.txt, "
        "line 459), as recorded on 2026-11-25"
    )
    bib = bibtexparser.parse_string(run("cite", "dalian", "--format", "bibtex").stdout)
    city = json.loads(run("cities", "show", "dalian", "--json").stdout)
    own = [s["id"] for s in city["source_records"]]
    assert own == ["oj-article", "mca-division-codes", "geonames", "britannica-kids-dalian"]
    assert [e.key for e in bib.entries][:4] == own
    assert all("Supports city dalian (Dalian)" in fields_of(e)["note"] for e in bib.entries[:4])
    items = json.loads(run("cite", "suzhou-industrial-park", "--json").stdout)
    assert [i["id"] for i in items] == [
        "oj-article",
        "sohu-2007-05-13-sip",
        "sipac-sino-singapore",
        "whsspr-sip-plaque",
    ]
    # the article's text is stored: its excerpt is checked, not "as recorded"
    assert items[0]["note"].endswith("primary outsourcing cities\u201d (paragraph 5)")
    entries = rispy.loads(run("cite", "moc", "--format", "ris").stdout)
    assert [e["id"] for e in entries] == ["oj-article", "chinadaily-2009-02-02", "scol-2018-03-13-ministries"]


def test_a_city_and_an_area_are_cited_by_the_sources_of_their_designations(run):
    """`cite suzhou` cites Suzhou's title too: each source of each of its designations, with a note
    saying what it supports ("model city, 2009"), after the city's own sources."""
    text = run("cite", "suzhou").stdout
    assert text.startswith("Suzhou (city suzhou), supported by 8 sources:\n")  # 4 its own, 4 of its title
    designation = json.loads(run("designations", "show", "suzhou-model-city", "--json").stdout)
    items = json.loads(run("cite", "suzhou", "--json").stdout)
    assert [i["id"] for i in items] == [
        "oj-article",
        "mca-division-codes",
        "geonames",
        "hsw-suzhou",
        *designation["sources"],
    ]
    daily = items[[i["id"] for i in items].index("chinadaily-2009-02-02")]
    assert daily["note"] == (
        "Supports model city, 2009 (designation suzhou-model-city): the designation; not_after "
        "\u201cIt said 20 cities, including Beijing, Shanghai, Xi'an, Suzhou and Hangzhou, had "
        "been identified as pilot service outsourcing regions, where companies are eligible for "
        "favorable polices.\u201d, as recorded on 2026-11-25"
    )
    assert "  Supports model city, 2009 (designation suzhou-model-city): the designation; subject \u201c" in text
    # a source that supports the record and a designation has both notes
    sip = run("cite", "suzhou-industrial-park").stdout
    sohu = sip.split("\n\n")[2].splitlines()
    assert sohu[1].startswith("  Supports area suzhou-industrial-park (Suzhou Industrial Park): the record")
    assert sohu[2].startswith(
        "  Supports showcase base, 2007 (designation suzhou-industrial-park-showcase-base): "
        "the designation; date \u201c"
    )
    dalian = [i["id"] for i in json.loads(run("cite", "dalian", "--json").stdout)]
    assert dalian[4:] == [
        "govcn-2006-08-04-dalian",
        "ahxdny-2009-02-05-hefei",
        "chinadaily-2009-02-02",
        "focustax-caiqi-2009-200",
        "jjckb-2009-02-03-model-cities",
    ]  # base city 2006, model city 2009
    assert "Supports base city, 2006 (designation dalian-base-city)" in run("cite", "dalian").stdout
    # an agency has no designations of its own: only its sources
    agency = [e["id"] for e in rispy.loads(run("cite", "moc", "--format", "ris").stdout)]
    assert agency == ["oj-article", "chinadaily-2009-02-02", "scol-2018-03-13-ministries"]


def test_records_are_found_by_name_across_kinds(run):
    assert run("cite", "Ministry of Commerce").stdout.startswith("Ministry of Commerce (agency moc)")
    assert run("cite", "大连").stdout.startswith("Dalian (city dalian)")
    assert run("cite", "showcase-area", "--type", "terms").exit_code == 0


def test_an_id_of_two_kinds_is_ambiguous_and_type_chooses(run, evidence_dir):
    data = ("--data-dir", str(evidence_dir))
    result = run(*data, "cite", "alpha")
    assert result.exit_code == 1 and result.stdout == ""
    assert "'alpha' names more than one record: city alpha (Alpha), term alpha (alpha)" in result.stderr
    assert "--type" in result.stderr
    assert run(*data, "cite", "alpha", "--type", "term").stdout.startswith("alpha (term alpha)")
    assert run(*data, "cite", "alpha", "--type", "cities").stdout.startswith("Alpha (city alpha)")
    wrong = run(*data, "cite", "alpha", "--type", "citys")
    assert wrong.exit_code == 2 and "did you mean 'city'" in wrong.stderr.replace("\n", " ")


def test_cite_unknown_id(run):
    result = run("cite", "11th-fpy")
    assert result.exit_code == 1 and "did you mean '11th-fyp'?" in result.stderr
    result = run("cite", "dailan")
    assert result.exit_code == 1 and "no record 'dailan'; did you mean 'dalian'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["cite"],
        ["cite", "11th-fyp", "--all"],
        ["cite", "11th-fyp", "-f", "mla"],
        ["cite", "--all", "--claim", "title"],
        ["cite", "11th-fyp", "--json", "-f", "ris"],
    ],
)
def test_cite_usage_errors(run, args):
    assert run(*args).exit_code == 2


def test_cite_without_an_argument_says_what_to_give(run):
    message = " ".join(run("cite").stderr.replace("│", " ").split())
    assert "give the ID of a record to cite, or --all for every policy and source" in message
    assert "(not both)" not in message


def test_cite_takes_exactly_the_citation_formats():
    command = typer.main.get_command(app).get_command(None, "cite")
    option = next(p for p in command.params if p.name == "fmt")
    assert list(option.type.choices) == [f.value for f in output.CITATION_FORMATS]


def test_completion_of_ids_of_every_kind_and_of_claims():
    from test_help import _complete

    assert _complete("cite", "dal") == [
        "dalian",
        "dalian-software-park",
        "dalian-base-city",
        "dalian-software-park-showcase-area",
        "dalian-model-city",
    ]
    assert _complete("cite", "--type", "term", "s") == ["showcase-area"]
    assert _complete("cite", "1000-100-10", "--claim", "targets") == [f"targets[{i}]" for i in range(4)]
    assert _complete("cite", "dalian", "--claim", "name") == ["name", "name_zh"]


def test_show_json_resolves_sources(run):
    city = json.loads(run("cities", "show", "dalian", "--json").stdout)
    assert [s["id"] for s in city["source_records"]] == [
        "oj-article",
        "mca-division-codes",
        "geonames",
        "britannica-kids-dalian",
    ]  # (its aliases' source)
    assert city["source_records"][0]["publisher"] == "outsourcing-journal.org"


# -- one claim --------------------------------------------------------------------------------------


def test_claim_footnote_with_excerpt_locator_url_and_access_date(run, evidence_dir):
    result = run("--data-dir", str(evidence_dir), "cite", "plan", "--claim", "targets[0]")
    assert result.exit_code == 0, result
    assert result.stdout == (
        f"{TARGET} \u2014 [Xinhua dispatch on the service outsourcing targets], 经济参考报, 2007-11-29, "
        "http://jjckb.xinhuanet.com/gnyw/2007-11/29/content_75852.htm (accessed 2026-11-25): "
        f"\u201c{EXCERPT}\u201d (paragraph 3), as recorded on 2026-11-25\n"
    )


def test_claim_of_a_field_narrowed_by_its_evidence(run, evidence_dir):
    data = ("--data-dir", str(evidence_dir))
    name_zh = run(*data, "cite", "alpha", "--type", "city", "--claim", "name_zh").stdout
    assert name_zh.startswith("Alpha, Chinese name: 阿尔法 \u2014 [Xinhua dispatch")
    assert "A source" not in name_zh  # the evidence names one source: the record's others are left out
    assert name_zh.rstrip().endswith("\u201c阿尔法市\u201d (headline), as recorded on 2026-11-25")
    name = run(*data, "cite", "alpha", "--type", "city", "--claim", "name").stdout
    assert name.startswith("Alpha, Name: Alpha \u2014 A source, Somebody, 2007, https://example.org/a (accessed")
    assert "[Xinhua dispatch" in name  # no evidence for it: every source of the record


def test_claim_as_json(run, evidence_dir):
    result = run("--data-dir", str(evidence_dir), "cite", "plan", "--claim", "targets.0", "--format", "json")
    data = json.loads(result.stdout)
    assert data["record"] == {"type": "policy", "id": "plan", "label": "A plan"}
    assert (data["claim"], data["field"], data["text"]) == ("targets[0]", "targets", TARGET)
    (source,) = data["sources"]
    assert (source["id"], source["publisher"], source["url"], source["accessed"]) == (
        "xinhua",
        "经济参考报",
        "http://jjckb.xinhuanet.com/gnyw/2007-11/29/content_75852.htm",
        "2026-11-25",
    )
    assert (source["excerpt"], source["locator"], source["stored"]) == (EXCERPT, "paragraph 3", False)


def test_claim_in_the_bibliography_formats(run, evidence_dir):
    data = ("--data-dir", str(evidence_dir))
    (entry,) = bibtexparser.parse_string(
        run(*data, "cite", "plan", "--claim", "targets[0]", "-f", "biblatex").stdout
    ).entries
    assert entry.key == "xinhua" and EXCERPT in fields_of(entry)["note"]
    (item,) = json.loads(run(*data, "cite", "plan", "--claim", "targets[0]", "--json").stdout)
    assert item["note"] == (
        f"Supports policy plan (A plan): targets[0] \u201c{EXCERPT}\u201d (paragraph 3), as recorded on 2026-11-25"
    )


def test_claims_on_the_shipped_data(run):
    target = run("cite", "1000-100-10", "--claim", "targets[3]").stdout
    assert target.startswith(
        "Make 2010 service outsourcing exports four times those of 2005 (翻两番). Sources "
        'disagree: a Xinhua report of 4 August 2006 gives "double" (翻一番)'
    )
    assert target.rstrip().endswith(
        "— 吴宇, [Xinhua dispatch from Shanghai of 28 November 2007 on the service "
        "outsourcing 千百十工程], 经济参考报, 2007-11-29, "
        "http://jjckb.xinhuanet.com/gnyw/2007-11/29/content_75852.htm (accessed "
        "2026-11-25): \u201c实现2010年服务外包出口额在2005年的基础上翻两番。\u201d, as recorded "
        "on 2026-11-25"
    )
    assert "China Daily" not in target  # it does not state the export target
    statement = json.loads(run("cite", "11th-fyp", "--claim", "statements[0]", "--format", "json").stdout)
    assert statement["text"] == "Enacted in March 2006." and [s["id"] for s in statement["sources"]] == ["oj-article"]
    name = json.loads(run("cite", "dalian", "--claim", "name_zh", "--format", "json").stdout)
    assert name["value"] == "大连市" and [s["id"] for s in name["sources"]] == ["mca-division-codes"]
    assert name["sources"][0]["excerpt"] == "210200 大连市"


def test_unknown_claim_lists_the_valid_ones(run):
    result = run("cite", "1000-100-10", "--claim", "target[3]")
    message = " ".join(result.stderr.replace("│", " ").split())
    assert result.exit_code == 2
    assert "no claim 'target[3]' in policy 1000-100-10; did you mean 'targets[3]'" in message
    assert "Valid claims: title, title_zh, type, designations[0]" in message and "targets[3], note." in message
    assert run("cite", "1000-100-10", "--claim", "targets[9]").exit_code == 2
    assert run("cite", "oj-article", "--claim", "title").exit_code == 2  # a source is cited as itself


def test_an_excerpt_is_as_recorded_unless_the_source_text_is_stored():
    entry = SimpleNamespace(excerpt="翻两番", locator="paragraph 3")
    read = SimpleNamespace(accessed="2026-11-25")
    assert excerpt_text(entry, read) == "\u201c翻两番\u201d (paragraph 3), as recorded on 2026-11-25"
    kept = SimpleNamespace(accessed="2026-11-25", stored_copy="tests/fixtures/source-article.txt")
    assert excerpt_text(entry, kept) == "\u201c翻两番\u201d (paragraph 3)"


# -- the fact base itself ------------------------------------------------------------------------


def newest_date(run, *data: str) -> str:
    """The data's date, from each kind's JSON (independently of oscli's own code): the newest dated
    fact, a designation's or total's date or bound, a policy's date, a provision's start."""
    dated = {
        "designation": ("date", "not_after", "not_before"),
        "total": ("date", "not_after", "not_before"),
        "policy": ("date",),
        "provision": ("effective_from",),
    }
    found = []
    for declared in kinds.KINDS.values():
        if declared.name not in dated:
            continue
        for record in json.loads(run(*data, declared.command, "list", "--json").stdout):
            found += [record[name] for name in dated[declared.name] if record.get(name)]
    return max(found, key=lambda d: (d + "-99-99")[:10])


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def test_cite_dataset_gives_the_version_and_the_data_date_in_every_format(run, tmp_path, evidence_dir):
    from outsourcing_cli import __version__

    newest = newest_date(run)  # the newest dated fact of the shipped data, worked out from its JSON
    year, month, day = (int(part) for part in newest.split("-"))
    human = f"{day} {MONTHS[month - 1]} {year}"
    text = run("cite", "--dataset").stdout
    assert text.startswith(
        f"oscli contributors. oscli: a fact base on China's state policy on offshore service "
        f"outsourcing (the 1,000-100-10 Project). Version {__version__}. {human}.\n"
    )
    (item,) = json.loads(run("cite", "--dataset", "--json").stdout)
    assert (item["id"], item["type"], item["version"]) == ("oscli-data", "dataset", __version__)
    assert item["issued"] == {"date-parts": [[year, month, day]]}
    (entry,) = render_with_citeproc([item])
    # (no version in the rendering: the bundled style prints none for a dataset)
    assert entry.startswith(f"oscli contributors ({year}) \u201coscli: a fact base on China"), entry
    (ris,) = rispy.loads(run("cite", "--dataset", "--format", "ris").stdout)
    assert (ris["type_of_reference"], ris["edition"], ris["date"]) == ("DATA", __version__, newest.replace("-", "/"))
    biblatex = run("cite", "--dataset", "--format", "biblatex").stdout
    (bib,) = bibtexparser.parse_string(biblatex).entries
    assert bib.entry_type == "dataset" and fields_of(bib)["version"] == __version__
    assert fields_of(bib)["date"] == newest
    assert run_biber(tmp_path, biblatex) == []
    blg, _ = run_bibtex(tmp_path, run("cite", "--dataset", "--format", "bibtex").stdout)
    assert bibtex_warnings(blg) == []
    # another data directory: its own newest fact
    other = run("--data-dir", str(evidence_dir), "cite", "--dataset", "--json")
    assert json.loads(other.stdout)[0]["note"] == (
        f"Data as of {newest_date(run, '--data-dir', str(evidence_dir))}: "
        "the date of the newest dated fact in its data files."
    )


@pytest.mark.parametrize(
    "args",
    [
        ["cite", "--dataset", "11th-fyp"],
        ["cite", "--dataset", "--all"],
        ["cite", "--dataset", "--claim", "title"],
        ["cite", "--dataset", "-t", "city"],
    ],
)
def test_cite_dataset_takes_no_record(run, args):
    result = run(*args)
    assert result.exit_code == 2 and "--dataset cites the fact base itself" in " ".join(result.stderr.split())


def _cffconvert(tmp_path: Path) -> str:
    """The real cffconvert, in a virtual environment of its own: cffconvert 2.0 (the newest) pins
    jsonschema<4, and the MCP SDK in the test extra needs jsonschema>=4.20, so the two cannot share
    one. OSCLI_CFFCONVERT names an installed one; else it is installed here, once a run."""
    import os
    import venv

    given = os.environ.get("OSCLI_CFFCONVERT")
    if given:
        return given
    folder = Path(os.environ.get("OSCLI_CFFCONVERT_VENV", tmp_path / "cffconvert-venv"))
    script = folder / "bin" / "cffconvert"
    if not script.exists():
        venv.create(folder, with_pip=True)
        subprocess.run(
            [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", "cffconvert>=2.0,<3"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return str(script)


def test_citation_cff_is_valid_and_agrees_with_cite_dataset(run, tmp_path):
    import yaml

    from outsourcing_cli import __version__

    cff = ROOT / "CITATION.cff"
    done = subprocess.run(
        [_cffconvert(tmp_path), "--validate", "-i", str(cff)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "valid according to schema version 1.2.0" in done.stdout
    data = yaml.safe_load(cff.read_text(encoding="utf-8"))
    (item,) = json.loads(run("cite", "--dataset", "--json").stdout)
    assert data["version"] == __version__ == item["version"]
    assert " ".join(data["title"].split()) == item["title"]
    assert [a["name"] for a in data["authors"]] == [a["literal"] for a in item["author"]]
    assert data["type"] == item["type"] == "dataset"


# -- the README shows real output -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["cite", "11th-fyp", "--format", fmt] for fmt in ("text", "bibtex", "biblatex", "csl-json", "ris")]
    + [["cite", "dalian"], ["cite", "11th-fyp", "--claim", "statements[0]"]],
)
def test_readme_shows_real_citations(run, args):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert run(*args).stdout.rstrip() in readme


def test_cite_without_an_id_says_what_to_give(run):
    result = run("cite")
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    assert "give the ID of a record to cite, or --all for every policy and source" in message
    assert "not both" not in message
    both = run("cite", "11th-fyp", "--all")
    assert both.exit_code == 2 and "not both" in " ".join(both.stderr.replace("│", " ").split())
