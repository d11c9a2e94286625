"""Integrity (issue 21): no data file can forge a citation or clobber a file, and no small input
costs out of proportion. Each case is played against the installed console script, in a
subprocess, as in test_security.py; each output is read by its real consumer.

- citations: hostile titles, authors, publishers and URLs (tests/fixtures/hostile-citations.yaml)
  through every format, read back by bibtex(1), biber, bibtexparser, rispy and citeproc-py;
- exports: no file clobbered without --replace (a file that appears meanwhile wins), only a
  regular file replaced with it, no temporary file left by a signal or a kill;
- costs: the Chinese full-text index, RIS folding and a long search query grow linearly;
- ``--count-by`` on a list of objects.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from conftest import FIXTURES, oscli_executable

from outsourcing_cli.present import citation, cite_bibtex

HOSTILE = yaml.safe_load((FIXTURES / "hostile-citations.yaml").read_text(encoding="utf-8"))
FIELDS = ("title", "author", "publisher", "url")
FORMATS = ("text", "bibtex", "biblatex", "ris", "csl-json")


def _env(**extra: str) -> dict[str, str]:
    dropped = {"NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR", "OSCLI_DEBUG", "OSCLI_NO_CACHE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(extra)
    return env


def _oscli(*args: str, cwd: Path, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(
        [oscli_executable(), *args], text=True, cwd=cwd, env=kwargs.pop("env", _env()), timeout=timeout, **kwargs
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("OSCLI_REQUIRE_TEX"):
            pytest.fail(f"{name} is not installed, and OSCLI_REQUIRE_TEX is set")
        pytest.skip(f"{name} is not installed")
    return found


# -- citations ------------------------------------------------------------------------------------

_UNBIB = {
    r"{\textbackslash}": "\\",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    r"{\textbraceleft}": "{",
    r"{\textbraceright}": "}",
    r"{\textasciitilde}": "~",
    r"{\textasciicircum}": "^",
}
_UNBIB_RE = re.compile("|".join(re.escape(k) for k in _UNBIB))


def unbib(value: str) -> str:
    """A value as bib_escape wrote it, decoded (in one pass, left to right)."""
    return _UNBIB_RE.sub(lambda m: _UNBIB[m.group()], value)


def squeeze(text: str) -> str:
    """Runs of whitespace as one space (biber and bibtex's .bbl rewrap and collapse them)."""
    return " ".join(text.split())


def _loadable(case: dict) -> bool:
    """Whether oscli's loader takes the case (it refuses control characters but a newline or tab, OSC107)."""
    return not any(
        (ch < " " and ch not in "\n\t") or "\x7f" <= ch <= "\x9f" or ch in "\u2028\u2029"
        for value in case.values()
        for ch in value
    )


def _balanced(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _hostile_data(directory: Path, cases: list[dict]) -> Path:
    """A data directory holding each case as a source (hostile-N) and a plan citing it (plan-N),
    so that its text is also in a policy's note."""
    data = directory / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    sources = [
        {"id": f"hostile-{n}", "type": "article", "accessed": "2020-01-02", **case} for n, case in enumerate(cases)
    ]
    sources.append(
        {"id": "src", "title": "A source", "type": "article", "publisher": "Somebody", "url": "https://example.org/a"}
    )
    (data / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    policies = yaml.safe_load((data / "policies.yaml").read_text(encoding="utf-8"))
    for n, case in enumerate(cases):
        policies["policies"].append(
            {"id": f"plan-{n}", "title": case["title"], "type": "plan", "date": "2006-03", "sources": [f"hostile-{n}"]}
        )
    (data / "policies.yaml").write_text(yaml.safe_dump(policies, allow_unicode=True), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def hostile_cites(tmp_path_factory) -> dict[str, str]:
    """`oscli cite --all` of the loadable hostile cases, in every format."""
    directory = tmp_path_factory.mktemp("hostile")
    data = _hostile_data(directory, [c for c in HOSTILE if _loadable(c)])
    out = {}
    for fmt in FORMATS:
        done = _oscli("--data-dir", str(data), "cite", "--all", "--format", fmt, cwd=directory)
        assert done.returncode == 0, done.stderr
        out[fmt] = done.stdout
    return out


def _loadable_numbers() -> list[int]:
    return list(range(len([c for c in HOSTILE if _loadable(c)])))


def _case(n: int) -> dict:
    return [c for c in HOSTILE if _loadable(c)][n]


def _keys() -> list[str]:
    numbers = _loadable_numbers()
    return [f"plan-{n}" for n in numbers] + ["plan"] + [f"hostile-{n}" for n in numbers] + ["src"]


def test_the_fixture_holds_every_kind_of_attack():
    values = [v for case in HOSTILE for v in case.values()]
    for needle in ("}", "{", "\\}", "\\", "\nER  - ", "\nTY  - ", "\n@misc{", "\u2028", "\x85", "\r", "\f"):
        assert any(needle in v for v in values), needle
    assert any(not _loadable(c) for c in HOSTILE) and sum(_loadable(c) for c in HOSTILE) >= 7


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtexparser_reads_one_entry_per_record_with_the_text_intact(hostile_cites, fmt):
    text = hostile_cites[fmt]
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and not library.comments and not library.strings
    assert sorted(e.key for e in library.entries) == sorted(_keys())
    assert "\\{" not in text and "\\}" not in text  # never a backslash before a brace
    for n in _loadable_numbers():
        case = _case(n)
        fields = library.entries_dict[f"hostile-{n}"].fields_dict
        assert all(_balanced(f.value) for f in fields.values())
        title = fields["title"].value
        assert title.startswith("{") and unbib(title[1:-1]) == citation.one_line(case["title"])
        assert unbib(fields["author"].value[1:-1]) == citation.one_line(case["author"])
        url = fields["howpublished" if fmt == "bibtex" else "url"].value
        assert case["url"].split("}")[0].split("{")[0].split("\\")[0].split()[0] in url
        plan = library.entries_dict[f"plan-{n}"].fields_dict
        assert unbib(plan["title"].value[1:-1]) == citation.one_line(case["title"])
        assert unbib(citation.one_line(case["title"])) in unbib(plan["note"].value)


def test_bibtex_reads_one_entry_per_record_with_the_text_intact(hostile_cites, tmp_path):
    (tmp_path / "oscli.bib").write_text(hostile_cites["bibtex"], encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{oscli}\n\\bibstyle{plain}\n", encoding="utf-8")
    done = subprocess.run([_tool("bibtex"), "doc"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    blg = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0 and "error message" not in blg, blg
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert sorted(re.findall(r"\\bibitem\{([^}]+)\}", bbl)) == sorted(_keys())
    flat = squeeze(bbl)
    for n in _loadable_numbers():
        item = flat.split(f"\\bibitem{{hostile-{n}}}")[1].split("\\bibitem")[0]
        assert squeeze(cite_bibtex.bib_escape(_case(n)["title"])) in item
        assert squeeze(cite_bibtex.bib_escape(_case(n)["author"])) in item


def test_biber_reads_one_entry_per_record_with_the_text_intact(hostile_cites, tmp_path):
    (tmp_path / "oscli.bib").write_text(hostile_cites["biblatex"], encoding="utf-8")
    done = subprocess.run(
        [_tool("biber"), "--tool", "oscli.bib"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "ERROR" not in done.stdout, done.stdout
    written = (tmp_path / "oscli_bibertool.bib").read_text(encoding="utf-8")  # biber's own reading, written out
    library = bibtexparser.parse_string(written)
    assert not library.failed_blocks
    assert sorted(e.key for e in library.entries) == sorted(_keys())
    for n in _loadable_numbers():
        fields = {k.lower(): v for k, v in library.entries_dict[f"hostile-{n}"].fields_dict.items()}
        assert squeeze(unbib(fields["title"].value[1:-1])) == squeeze(citation.one_line(_case(n)["title"]))
        assert squeeze(unbib(fields["organization"].value)) == squeeze(citation.one_line(_case(n)["publisher"]))


def test_rispy_reads_one_entry_per_record_with_the_text_intact(hostile_cites):
    entries = rispy.loads(hostile_cites["ris"])
    assert sorted(e["id"] for e in entries) == sorted(_keys())
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in hostile_cites["ris"].splitlines() if line)
    by_id = {e["id"]: e for e in entries}
    for n in _loadable_numbers():
        case, entry = _case(n), by_id[f"hostile-{n}"]
        assert entry["title"].strip() == citation.one_line(case["title"]).strip()
        assert entry["authors"] == [citation.one_line(case["author"]).strip()] or squeeze(
            citation.one_line(case["author"])
        ) == squeeze(" ".join(entry["authors"]))
        assert set(entry) <= {
            "id",
            "type_of_reference",
            "title",
            "authors",
            "publisher",
            "urls",
            "access_date",
            "notes",
        }, set(entry)


def test_text_writes_each_entry_on_its_lines(hostile_cites):
    entries = [e for e in hostile_cites["text"].split("\n\n") if e.strip()]
    assert len(entries) == len(_keys())
    for entry in entries:
        lines = entry.splitlines()
        assert lines and not lines[0].startswith(" ") and all(line.startswith("  ") for line in lines[1:])
    for n in _loadable_numbers():
        assert (
            sum(citation.one_line(_case(n)["title"]).strip().rstrip(".") in e for e in entries) == 2
        )  # itself, its plan


def test_citeproc_reads_one_entry_per_record_with_the_text_intact(hostile_cites):
    items = json.loads(hostile_cites["csl-json"])
    assert sorted(i["id"] for i in items) == sorted(_keys())
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(e) for e in bibliography.bibliography()]
    assert len(rendered) == len(items)
    by_id = {i["id"]: i for i in items}
    for n in _loadable_numbers():
        assert by_id[f"hostile-{n}"]["title"] == _case(n)["title"]  # JSON holds any text as it is
        assert sum(squeeze(_case(n)["title"])[:20] in squeeze(r) for r in rendered) >= 1


@pytest.mark.parametrize("n", range(len(HOSTILE)))
def test_every_format_of_every_case_has_one_entry_whatever_the_text(n):
    """Every case, control characters included (the loader refuses those: here the writers get
    them directly), in every format: one entry, the right key, every line a field."""
    case = HOSTILE[n]
    ref = citation.Reference(
        id="key-1",
        kind="article",
        title=case["title"],
        authors=(case["author"],),
        publisher=case["publisher"],
        url=case["url"],
        accessed="2020-01-02",
        notes=(f"As described in: {case['title']}, {case['url']}",),
    )
    for fmt in ("bibtex", "biblatex"):
        text = citation.render([ref], fmt)
        library = bibtexparser.parse_string(text)
        assert [e.key for e in library.entries] == ["key-1"] and not library.failed_blocks, text
        assert "\\{" not in text and "\\}" not in text
        assert all(_balanced(f.value) for f in library.entries[0].fields)
        assert unbib(library.entries[0].fields_dict["title"].value[1:-1]) == citation.one_line(case["title"])
        assert text.count("\n") == len(library.entries[0].fields) + 2  # the head, a line per field, the end
    ris = citation.render([ref], "ris")
    (entry,) = rispy.loads(ris)
    assert entry["id"] == "key-1" and entry["title"] == citation.one_line(case["title"]).strip()
    assert len(ris.splitlines()) == len(ris.split("\n")) - 1  # no line break but the writer's own
    text = citation.render([ref], "text")
    assert len(text.splitlines()) == 2 and text.count("\n") == 2
    assert citation.one_line(case["title"]).strip().rstrip(".") in text


def test_one_line_folds_every_line_break_and_keeps_other_spaces():
    assert citation.one_line("a \n\n  b\u2028c\x85d\re\x0bf\x0cg\x1ch\x00i  j\tk") == "a b c d e f g h i  j k"
    assert citation.one_line("\n a") == " a" and citation.one_line("a \n") == "a " and citation.one_line("\n") == " "
    for text in ("plain", "a  b", "苏州"):
        assert citation.one_line(text) == text


# -- exports --------------------------------------------------------------------------------------

TEMPORARY = re.compile(r"\..+\.oscli-[0-9a-z_]{8}\.tmp")


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TEMPORARY.fullmatch(p.name))


@pytest.fixture(scope="module")
def ten_times(tmp_path_factory) -> Path:
    """The 10x synthetic base (bench/generate.py): an export long enough to act during it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    folder = tmp_path_factory.mktemp("ten") / "data"
    generate(10, folder)
    return folder


def _start(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [oscli_executable(), *args], cwd=cwd, env=_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for_temporary(folder: Path, process: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if _temporaries(folder):
            return True
        time.sleep(0.002)
    return False


def test_a_file_that_appears_while_exporting_wins(ten_times, tmp_path):
    """Without --replace the database is linked into place, which fails if the name was taken
    meanwhile: the other file stays as it is and the export exits 1 (on main: replaced, exit 0)."""
    for attempt in range(5):
        folder = tmp_path / f"try{attempt}"
        folder.mkdir()
        process = _start("--data-dir", str(ten_times), "export", "sqlite", "out.db", cwd=folder)
        if not _wait_for_temporary(folder, process):
            process.wait(timeout=120)
            continue
        (folder / "out.db").write_bytes(b"the other writer's file")
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 1, stderr
        assert "out.db exists (it appeared while exporting); give --replace" in stderr
        assert (folder / "out.db").read_bytes() == b"the other writer's file"
        assert sorted(p.name for p in folder.iterdir()) == ["out.db"]
        return
    pytest.fail("never saw the export's temporary file")


def test_four_exports_to_one_path_one_wins(ten_times, tmp_path):
    processes = [_start("--data-dir", str(ten_times), "export", "sqlite", "out.db", cwd=tmp_path) for _ in range(4)]
    codes = sorted(p.wait(timeout=300) for p in processes)
    assert codes == [0, 1, 1, 1], [p.stderr.read() for p in processes]
    import sqlite3

    cities = len(yaml.safe_load((ten_times / "cities.yaml").read_text(encoding="utf-8"))["cities"])
    assert cities > 100  # the 10x base: ten times the shipped cities
    assert sqlite3.connect(tmp_path / "out.db").execute("SELECT count(*) FROM cities").fetchone() == (cities,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.db"]


@pytest.mark.parametrize("name,code", [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_signal_removes_the_temporary_file(ten_times, tmp_path, name, code):
    import signal

    (tmp_path / "keep.txt").write_text("before\n", encoding="utf-8")
    process = _start("--data-dir", str(ten_times), "export", "sqlite", "out.db", cwd=tmp_path)
    assert _wait_for_temporary(tmp_path, process), "the export ended before it could be signalled"
    process.send_signal(getattr(signal, name))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code and "Traceback" not in stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_an_export_killed_at_random_points_leaves_nothing_but_what_was_there(ten_times, tmp_path):
    """SIGKILL at 12 points of an export (a fixed seed): the folder holds the file that was there
    before and, at most, the whole new database; a temporary file the kill left is removed by the
    next export into the folder once it is old enough (its age is set back here)."""
    import random
    import signal
    import sqlite3

    rng = random.Random(21)
    started = time.monotonic()
    assert _oscli("--data-dir", str(ten_times), "export", "sqlite", "timing.db", cwd=tmp_path).returncode == 0
    duration = time.monotonic() - started
    (tmp_path / "timing.db").unlink()
    (tmp_path / "keep.db").write_bytes(b"before")
    for point in sorted(rng.uniform(0, duration * 1.1) for _ in range(12)):
        process = _start("--data-dir", str(ten_times), "export", "sqlite", "keep.db", "--replace", cwd=tmp_path)
        time.sleep(point)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        names = {p.name for p in tmp_path.iterdir()}
        assert names - set(_temporaries(tmp_path)) == {"keep.db"}
        content = (tmp_path / "keep.db").read_bytes()
        if content != b"before":  # killed after the rename: the new database, whole
            assert sqlite3.connect(tmp_path / "keep.db").execute("SELECT count(*) FROM cities").fetchone() == (
                len(yaml.safe_load((ten_times / "cities.yaml").read_text(encoding="utf-8"))["cities"]),
            )  # every city
            (tmp_path / "keep.db").write_bytes(b"before")
    left = len(_temporaries(tmp_path))
    assert left >= 1, "no kill landed while the temporary file existed"
    young = _oscli("export", "geojson", "map.geojson", cwd=tmp_path)
    assert young.returncode == 0 and len(_temporaries(tmp_path)) == left  # too young: maybe a live export's
    for name in _temporaries(tmp_path):
        os.utime(tmp_path / name, (time.time() - 3600, time.time() - 3600))
    assert _oscli("export", "geojson", "map.geojson", "--replace", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.db", "map.geojson"]
    assert (tmp_path / "keep.db").read_bytes() == b"before"


def test_a_sweep_leaves_a_live_export_s_file_alone(ten_times, tmp_path):
    """An old temporary file that a running export holds (its lock) is not a leftover."""
    process = _start("--data-dir", str(ten_times), "export", "sqlite", "out.db", cwd=tmp_path)
    assert _wait_for_temporary(tmp_path, process)
    for name in _temporaries(tmp_path):
        os.utime(tmp_path / name, (time.time() - 3600, time.time() - 3600))
    assert _oscli("export", "geojson", "map.geojson", cwd=tmp_path).returncode == 0
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.geojson", "out.db"]


def test_a_file_of_another_name_pattern_is_never_swept(tmp_path):
    kept = [".notes.tmp", ".out.db.abcdefgh.tmp", "x.oscli-abcdefgh.tmp", ".out.db.oscli-abc.tmp"]
    for name in kept:
        (tmp_path / name).write_text("mine\n", encoding="utf-8")
        os.utime(tmp_path / name, (time.time() - 3600, time.time() - 3600))
    assert _oscli("export", "geojson", "map.geojson", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "map.geojson"])


def test_metadata_may_not_be_the_database(tmp_path):
    for args in (["a.db", "--metadata", "a.db"], ["a.db", "--metadata", "./a.db", "--replace"]):
        done = _oscli("export", "sqlite", *args, cwd=tmp_path)
        assert done.returncode == 1 and "is the database's own file" in done.stderr, done.stderr
        assert list(tmp_path.iterdir()) == []
    (tmp_path / "link.json").symlink_to("a.db")
    done = _oscli("export", "sqlite", "a.db", "--metadata", "link.json", "--replace", cwd=tmp_path)
    assert done.returncode == 1 and "is the database's own file" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="/dev/stdout as root is the case (a user cannot replace /dev)")
def test_replace_never_replaces_dev_stdout(tmp_path):
    before = os.readlink("/dev/stdout")
    done = _oscli("export", "geojson", "/dev/stdout", "--replace", cwd=tmp_path)
    assert done.returncode == 1 and "not a regular file" in done.stderr, done.stderr
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == before
    done = _oscli("export", "sqlite", "/dev/null", "--replace", cwd=tmp_path)
    assert done.returncode == 1 and "/dev/null is a device" in done.stderr
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_replace_replaces_only_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    (tmp_path / "to-fifo").symlink_to("fifo")
    (tmp_path / "to-dir").symlink_to("dir")
    (tmp_path / "file.geojson").write_text("old\n", encoding="utf-8")
    (tmp_path / "to-file.geojson").symlink_to("file.geojson")
    for name, what, code in (
        ("fifo", "is a FIFO", 1),
        ("to-fifo", "is a FIFO (a symbolic link to it)", 1),
        ("dir", "is a directory", 2),
        ("to-dir", "is a directory", 2),
    ):  # 2: Click refuses it
        done = _oscli("export", "geojson", name, "--replace", cwd=tmp_path)
        assert done.returncode == code and what in done.stderr, (name, done.stderr)
    done = _oscli("export", "geojson", "to-file.geojson", "--replace", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert os.readlink(tmp_path / "to-file.geojson") == "file.geojson"  # the link stays a link
    assert json.loads((tmp_path / "file.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dir",
        "fifo",
        "file.geojson",
        "to-dir",
        "to-fifo",
        "to-file.geojson",
    ]


# -- --count-by on a list of objects ----------------------------------------------------------------


@pytest.mark.parametrize(
    "command,field",
    [("cities", "evidence"), ("policy", "designations"), ("conflicts", "claims"), ("areas", "acknowledgements")],
)
def test_count_by_a_list_of_objects_without_an_id_is_refused(tmp_path, command, field):
    """On main: exit 0 and every record counted as having none."""
    done = _oscli(command, "list", "--count-by", field, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "", done.stdout
    assert f"'{field}' of" in done.stderr and "is a list of objects" in done.stderr and "no id" in done.stderr


def test_count_by_a_list_of_objects_counts_by_their_id(tmp_path):
    counted = json.loads(_oscli("cities", "list", "--count-by", "source_records", "--json", cwd=tmp_path).stdout)
    cities = json.loads(_oscli("cities", "list", "--json", cwd=tmp_path).stdout)
    expected: dict[str, int] = {}
    for city in cities:
        for source_id in dict.fromkeys(s["id"] for s in city["source_records"]):
            expected[source_id] = expected.get(source_id, 0) + 1
    assert {row["source_records"]: row["count"] for row in counted} == expected
    assert None not in expected and counted[0]["count"] == max(expected.values())
    held = json.loads(_oscli("cities", "list", "--count-by", "titles", "--json", cwd=tmp_path).stdout)
    assert {row["titles"] for row in held} <= {"base-city", "model-city", None}


# -- costs in proportion to the input -----------------------------------------------------------------

LINEAR = 25  # ten times the input may take at most 25 times as long (quadratic work: 100 times)


def _best_of(runs: int, call) -> float:
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        call()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best


def _with_note(folder: Path, note: str) -> Path:
    """The minimal data with ``note`` on its city (a field the search and the index read)."""
    data = folder / "data"
    shutil.copytree(FIXTURES / "minimal", data)
    cities = yaml.safe_load((data / "cities.yaml").read_text(encoding="utf-8"))
    cities["cities"][0]["note"] = note
    (data / "cities.yaml").write_text(yaml.safe_dump(cities, allow_unicode=True, width=10**9), encoding="utf-8")
    return data


def _han(count: int, seed: int = 21) -> str:
    import random

    rng = random.Random(seed)
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(count))


def test_the_chinese_index_is_linear_in_the_text_and_capped_per_field(tmp_path):
    """A 0.9 MB note of Chinese (300,000 characters): on main the export took 53 s, 873 MB and a
    47 MB database (every substring up to 12 characters); now the index holds at most ZH_CAP
    characters of a field, and ten times the text costs at most LINEAR times as long."""
    import sqlite3

    from outsourcing_cli.export import fulltext

    measured = {}
    for size in (30_000, 300_000):
        data = _with_note(tmp_path / str(size), _han(size))
        target = tmp_path / f"{size}.db"

        def run_export() -> None:
            done = _oscli(
                "--data-dir",
                str(data),
                "export",
                "sqlite",
                str(target),
                "--replace",
                cwd=tmp_path,
                env=_env(OSCLI_NO_CACHE="1"),
            )
            assert done.returncode == 0, done.stderr

        measured[size] = (_best_of(2, run_export), target.stat().st_size, (data / "cities.yaml").stat().st_size)
    (small, _, _), (large, large_db, large_yaml) = measured[30_000], measured[300_000]
    assert large < LINEAR * small, measured
    assert large_db < 2 * large_yaml, measured  # the text once, and a bounded index (main: 52 times the YAML)
    found = sqlite3.connect(tmp_path / "300000.db").execute(
        "SELECT count(*) FROM records_fts WHERE records_fts MATCH ?", (fulltext.zh_match(_han(300_000)[100:130]),)
    )
    assert found.fetchone() == (1,)  # a 30-character phrase from within the cap: the city
    # the columns themselves, record by record as build() makes them (each field under the cap):
    # linear, at most 17 bytes a character
    fields = [_han(1_000, seed) for seed in range(200)]
    times = {
        n: _best_of(3, lambda n=n: [(fulltext.zh_ngrams(f), fulltext.zh_bigrams(f)) for f in fields[:n]])
        for n in (20, 200)
    }
    assert times[200] < LINEAR * times[20], times
    written = sum(len(fulltext.zh_ngrams(f)) + len(fulltext.zh_bigrams(f)) for f in fields)
    assert written <= 17 * 200_000


def test_ris_folds_a_long_run_of_spaces_in_linear_time(tmp_path):
    """A source title with a run of spaces, folded in a policy's note (N1): on main `\\s*\\n\\s*`
    backtracked over the run at every position in it (100,000 spaces: 15-18 s)."""
    timings = {}
    for size in (10_000, 100_000):
        data = tmp_path / f"d{size}"
        shutil.copytree(FIXTURES / "minimal", data)
        sources = yaml.safe_load((data / "sources.yaml").read_text(encoding="utf-8"))
        sources["sources"][0]["title"] = "A" + " " * size + "B\nC"
        (data / "sources.yaml").write_text(yaml.safe_dump(sources, width=10**9), encoding="utf-8")
        outputs = []

        def cite() -> None:
            done = _oscli("--data-dir", str(data), "cite", "plan", "--format", "ris", cwd=tmp_path)
            assert done.returncode == 0, done.stderr
            outputs.append(done.stdout)

        timings[size] = _best_of(2, cite)
        (entry,) = rispy.loads(outputs[-1])
        assert entry["id"] == "plan" and "A" + " " * size + "B C" in entry["notes"][0]
    assert timings[100_000] < LINEAR * timings[10_000], timings
    short = "x" + " " * 10_000 + "y"
    long = "x" + " " * 100_000 + "y\n"
    fold = {n: _best_of(3, lambda t=t: citation.one_line(t * 10)) for n, t in ((1, short), (10, long))}
    assert fold[10] < LINEAR * fold[1], fold


@pytest.mark.parametrize("shape", ["a ", "2009 ", "shenzen ", "苏州工业园区 ", "w{}q "])
def test_a_long_query_costs_in_proportion_to_its_length(ten_times, tmp_path, shape):
    """Queries of about 50 and 500 characters (MAX_QUERY is 512) over the 10x base: ten times the
    query may take at most LINEAR times as long. (On main each word was one pass over the whole
    index, repeated words included: 255 one-letter words took 19 s at 100x.)"""

    def query_of(length: int) -> str:
        text, n = "", 0
        while len(text) + len(shape.format(n)) <= length:
            text += shape.format(n)
            n += 1
        return text.strip()

    timings = {}
    for length in (50, 500):
        text = query_of(length)

        def search() -> None:
            done = _oscli("--data-dir", str(ten_times), "search", text, "--json", cwd=tmp_path)
            assert done.returncode in (0, 1), done.stderr

        search()  # (the first run fills the cache)
        timings[length] = _best_of(3, search)
    assert timings[500] < LINEAR * timings[50], timings


def test_an_export_in_process_puts_the_signal_handlers_back_and_works_in_a_thread(tmp_path):
    """A library user's handlers are theirs again once no file is being written; a thread (which
    Python lets set no handler) still writes its file."""
    import signal
    import threading

    from outsourcing_cli.export import files

    before = signal.getsignal(signal.SIGTERM)
    with files._atomic(tmp_path / "a.txt", replace=False) as temporary:
        assert signal.getsignal(signal.SIGTERM) is not before  # ours while the file is written
        Path(temporary).write_text("a\n", encoding="utf-8")
    assert signal.getsignal(signal.SIGTERM) is before
    errors = []

    def write() -> None:
        try:
            files.write_text(tmp_path / "b.txt", "b\n")
        except Exception as err:
            errors.append(err)

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    assert errors == [] and (tmp_path / "b.txt").read_text(encoding="utf-8") == "b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
