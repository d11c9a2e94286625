"""`oscli export`: the SQLite database (read back by sqlite3 and served by a real Datasette, drawn by
a real headless Chromium), its Datasette metadata, and the GeoJSON map (read back by the geojson
package). Nothing is mocked: the console script writes the files, the consumers read them.

Datasette and Chromium come from the [web] extra and Debian's chromium package; CI installs both
and sets OSCLI_REQUIRE_BROWSER=1, so that those tests fail there rather than skip.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from outsourcing_cli.domain import filters, history, kinds
from outsourcing_cli.export import citations, files, fulltext
from outsourcing_cli.export.geojson import geojson as cities_geojson
from outsourcing_cli.export.sqlite import sqlite
from outsourcing_cli.store.validate import validate

REQUIRE = bool(os.environ.get("OSCLI_REQUIRE_BROWSER"))
CHINA = (73.0, 18.0, 135.5, 54.0)  # west, south, east, north


@pytest.fixture(scope="module")
def base():
    return validate(DATA).base


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The shipped data exported by the installed console script: (database, metadata)."""
    from conftest import oscli_executable

    folder = tmp_path_factory.mktemp("export")
    done = subprocess.run(
        [oscli_executable(), "export", "sqlite", "oscli.db", "--metadata", "metadata.json"],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("oscli.db\tSQLite database: ")
    assert done.stdout.splitlines()[1] == "metadata.json\tDatasette metadata"
    assert "datasette oscli.db -m metadata.json" in done.stderr
    return folder / "oscli.db", folder / "metadata.json"


@pytest.fixture
def db(exported):
    connection = sqlite3.connect(f"file:{exported[0]}?mode=ro", uri=True)
    yield connection
    connection.close()


def _json_list(run, kind: kinds.Kind, *options: str) -> list[dict]:
    result = run(kind.command, "list", "--json", *options)
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


# -- the database, read back by sqlite3 ---------------------------------------------------------------


def test_every_reference_resolves_and_the_file_is_sound(db):
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize("kind", kinds.KINDS.values(), ids=lambda k: k.name)
def test_a_table_per_kind_with_as_many_rows_as_its_json_list(run, db, kind):
    records = _json_list(run, kind)
    assert db.execute(f'SELECT count(*) FROM "{kind.plural}"').fetchone()[0] == len(records)
    assert [r[0] for r in db.execute(f'SELECT id FROM "{kind.plural}" ORDER BY rowid')] == [r["id"] for r in records]
    assert db.execute(f"PRAGMA table_info('{kind.plural}')").fetchall()[0][1:3] == ("id", "TEXT")
    assert [r[1] for r in db.execute(f"PRAGMA index_list('{kind.plural}')") if r[3] == "pk"], "no primary key"


def test_scalar_fields_are_columns_typed_from_the_registry(db):
    declared = {r[1]: r[2] for r in db.execute("PRAGMA table_info('cities')")}
    assert declared["geonames_id"] == "INTEGER" and declared["latitude"] == "REAL" and declared["name_zh"] == "TEXT"
    assert declared["primary_outsourcing_city"] == "INTEGER"
    assert {r[0] for r in db.execute("SELECT DISTINCT primary_outsourcing_city FROM cities")} == {0, 1}
    assert db.execute("SELECT count(*) FROM cities WHERE primary_outsourcing_city = 1").fetchone() == (11,)
    row = db.execute(
        "SELECT name, name_zh, latitude, longitude, geonames_id FROM cities WHERE id = 'dalian'"
    ).fetchone()
    assert row == ("Dalian", "大连市", 38.91222, 121.60222, 1814087)


def test_choices_and_booleans_are_checked(exported, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(exported[0], copy)
    connection = sqlite3.connect(copy)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE designations SET event = 'promoted' WHERE id = 'dalian-base-city'")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute("UPDATE cities SET primary_outsourcing_city = 2 WHERE id = 'dalian'")
    connection.close()


def test_references_are_indexed_foreign_keys(db):
    outbound = {(r[3], r[2]) for r in db.execute("PRAGMA foreign_key_list('designations')")}
    assert {
        ("subject_city", "cities"),
        ("subject_area", "areas"),
        ("title", "titles"),
        ("not_before_source", "sources"),
    } <= outbound
    indexed = {
        db.execute(f"PRAGMA index_info('{r[1]}')").fetchone()[2]
        for r in db.execute("PRAGMA index_list('designations')")
    }
    assert {"subject_city", "subject_area", "title", "not_before_source"} <= indexed


def test_a_designation_names_its_subject_in_the_column_of_its_kind(db, base):
    rows = {
        r[0]: r[1:]
        for r in db.execute("SELECT id, subject, subject_type, subject_city, subject_area FROM designations")
    }
    for event in base.of("designation"):
        subject, subject_type, city, area = rows[event.id]
        assert (subject, subject_type) == (event.subject, event.subject_type)
        assert (city, area) == ((event.subject, None) if event.subject_type == "city" else (None, event.subject))


def test_lists_of_ids_are_join_tables_in_order(db, base):
    for event in base.of("designation"):
        agencies = [
            r[0]
            for r in db.execute(
                "SELECT agency FROM designations_granted_by WHERE designation = ? ORDER BY position", (event.id,)
            )
        ]
        assert agencies == list(event.granted_by)
    for total in base.of("total"):
        members = [
            r[0] for r in db.execute("SELECT city FROM totals_members WHERE total = ? ORDER BY position", (total.id,))
        ]
        assert members == list(total.members)


def test_parts_are_child_tables_keyed_by_their_json_index(db, base):
    project = next(p for p in base.of("policy") if p.id == "1000-100-10")
    for index, target in enumerate(project.targets):
        assert db.execute(
            "SELECT topic, text FROM policies_targets WHERE policy = ? AND position = ?", (project.id, index)
        ).fetchone() == (target.topic, target.text)
    roles = db.execute("SELECT count(*) FROM policies_designations_agencies").fetchone()[0]
    assert roles == sum(len(r.agencies) for p in base.of("policy") for r in p.designations)
    concerns = db.execute(
        "SELECT type, id, id_area, id_city FROM conflicts_concerns WHERE conflict = "
        "'first-showcase-area' ORDER BY position"
    ).fetchall()
    assert concerns[0] == ("area", "dalian-software-park", "dalian-software-park", None)


def test_citations_hold_every_citation_of_every_record(db, base):
    """The same (path, source) pairs as kinds.citations, the one definition of what a record cites."""
    for name in kinds.KINDS:
        for record in base.of(name):
            expected = [(citations.json_path(path), source.lower()) for path, source in kinds.citations(record)]
            got = db.execute(
                "SELECT path, source FROM citations WHERE record_type = ? AND record_id = ? ORDER BY rowid",
                (record.kind, record.id),
            ).fetchall()
            assert got == expected, (name, record.id)
    total = sum(1 for n in kinds.KINDS for r in base.of(n) for _ in kinds.citations(r))
    assert db.execute("SELECT count(*) FROM citations").fetchone()[0] == total


def test_citations_say_which_claim_each_source_supports(db):
    def claims(record_id: str) -> set:
        return set(
            db.execute(
                "SELECT claim, path, source, excerpt IS NOT NULL, locator FROM citations WHERE record_id = ?",
                (record_id,),
            )
        )

    dalian = claims("dalian")
    assert (None, "sources[0]", "oj-article", 0, None) in dalian  # the record as a whole
    assert ("name_zh", "evidence[0].source", "mca-division-codes", 1, "data/2020.txt, line 474") in dalian
    assert ("not_before", "not_before_source", "sina-2006-10-24-chengdu", 0, None) in claims("beijing-base-city")
    targets = {row for row in claims("1000-100-10") if row[1].startswith("targets[")}
    assert targets and all(path.startswith(claim + ".sources[") for claim, path, *_ in targets)
    assert any(claim == "targets[0]" and path.startswith("evidence[") for claim, path, *_ in claims("1000-100-10"))
    joined = db.execute(
        "SELECT r.label FROM citations c JOIN records r ON r.number = c.record WHERE c.record_id = 'dalian' LIMIT 1"
    ).fetchone()
    assert joined == ("Dalian",)


def _found(db, table: str, words: str) -> set:
    match = f"SELECT rowid FROM {fulltext.RECORDS_FTS} WHERE {fulltext.RECORDS_FTS} MATCH ?"
    if table == "records":
        return set(db.execute(f"SELECT record_type, record_id FROM records WHERE number IN ({match})", (words,)))
    return {r[0] for r in db.execute(f'SELECT id FROM "{table}" WHERE rowid IN ({match})', (words,))}


@pytest.mark.parametrize("words", ["Suzhou", "suzhou", '"苏州"', "苏州"])
def test_full_text_search_finds_the_city_and_the_area(db, words):
    found = _found(db, "records", words)
    assert {("city", "suzhou"), ("area", "suzhou-industrial-park")} <= found
    assert _found(db, "cities", words) == {"suzhou"}
    assert _found(db, "areas", words) == {"suzhou-industrial-park"}


@pytest.mark.parametrize(
    "words, expected",
    [
        ('"苏州市"', {("city", "suzhou")}),
        ('"工业园"', {("area", "suzhou-industrial-park")}),
        ('"大连"', {("city", "dalian")}),
        ('"Xi an"', {("city", "xian")}),
        ("ürümqi", {("city", "urumqi")}),
    ],
)
def test_full_text_search_in_chinese_at_any_length_and_in_english(db, words, expected):
    assert expected <= _found(db, "records", words)


def test_the_trigram_tokenizer_would_miss_a_two_character_query():
    """Why the index has a column of Chinese substrings: FTS5's trigram tokenizer matches nothing
    shorter than three characters, and unicode61 makes 苏州工业园区 one token."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
    connection.execute("CREATE VIRTUAL TABLE u USING fts5(text, tokenize='unicode61')")
    for table in ("t", "u"):
        connection.executemany(f"INSERT INTO {table} VALUES (?)", [("苏州工业园区",), ("苏州市",)])
    assert connection.execute("SELECT count(*) FROM t WHERE t MATCH '\"苏州\"'").fetchone() == (0,)
    assert connection.execute("SELECT count(*) FROM u WHERE u MATCH '\"苏州\"'").fetchone() == (0,)
    assert fulltext.zh_ngrams("苏州工业园区").split()[:3] == ["苏", "州", "工"] and "苏州" in fulltext.zh_ngrams(
        "苏州市"
    )


def test_model_cities_in_2016_and_as_of_the_newest_data(run, db):
    in_2016 = [c["id"] for c in _json_list(run, kinds.KINDS["city"], "--as-of", "2016", "--title", "model-city")]
    assert len(in_2016) == 31
    assert sorted(r[0] for r in db.execute("SELECT city FROM model_cities_2016")) == sorted(in_2016)
    by_year = db.execute("SELECT city FROM city_titles_by_year WHERE year = 2016 AND title = 'model-city'").fetchall()
    assert sorted(r[0] for r in by_year) == sorted(in_2016)
    latest = [c["id"] for c in _json_list(run, kinds.KINDS["city"], "--title", "model-city")]
    assert sorted(r[0] for r in db.execute("SELECT city FROM model_cities_latest")) == sorted(latest)


def test_titles_by_year_are_history_s_answer_for_every_subject_and_year(db, base):
    """The stored runs of years, expanded by the views, give what `--as-of YEAR` gives."""
    rows = db.execute("SELECT year, city, title, status, since, designation FROM city_titles_by_year").fetchall()
    rows += db.execute("SELECT year, area, title, status, since, designation FROM area_titles_by_year").fetchall()
    expected = []
    for year in history.year_span(base):
        for kind in ("city", "area"):
            for record in base.of(kind):
                expected += [
                    (year, record.id, h.title, h.status, h.since, h.designation)
                    for h in history.titles_at(base, record, str(year))
                ]
    assert sorted(rows, key=repr) == sorted(expected, key=repr)
    latest = db.execute("SELECT subject, title, status FROM titles_latest").fetchall()
    assert sorted(latest) == sorted(
        (r.id, h.title, h.status)
        for kind in ("city", "area")
        for r in base.of(kind)
        for h in history.titles_at(base, r, None)
    )
    possibly = db.execute("SELECT count(*) FROM city_titles_by_year WHERE status = 'possibly held'").fetchone()[0]
    assert possibly > 0  # the uncertain dates are kept apart, never folded into held


# -- files: overwriting, and failures that leave nothing behind ----------------------------------


def test_an_existing_file_is_replaced_only_with_replace(oscli, tmp_path):
    target = tmp_path / "oscli.db"
    target.write_bytes(b"keep me")
    refused = oscli("export", "sqlite", "oscli.db")
    assert refused.returncode == 1
    assert "oscli.db exists; give --replace to overwrite it" in refused.stderr
    assert target.read_bytes() == b"keep me"
    done = oscli("export", "sqlite", "oscli.db", "--replace")
    assert done.returncode == 0, done.stderr
    assert sqlite3.connect(target).execute("SELECT count(*) FROM cities").fetchone() == (37,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oscli.db"]


def test_a_metadata_file_that_cannot_be_written_leaves_the_database_as_it_was(oscli, tmp_path):
    (tmp_path / "oscli.db").write_bytes(b"old")
    done = oscli("export", "sqlite", "oscli.db", "--metadata", "missing/metadata.json", "--replace")
    assert done.returncode == 1
    assert "no directory missing" in done.stderr
    assert (tmp_path / "oscli.db").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oscli.db"]


@pytest.fixture
def small_disk(tmp_path):
    """A 300 KiB tmpfs (root only; skipped elsewhere): a disk that fills up half-way through an export."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode()[:200]}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_leaves_no_half_written_file(oscli, small_disk):
    (small_disk / "oscli.db").write_bytes(b"old")
    done = oscli("export", "sqlite", str(small_disk / "oscli.db"), "--replace")
    assert done.returncode == 1
    assert "cannot write" in done.stderr and "full" in done.stderr
    assert (small_disk / "oscli.db").read_bytes() == b"old"
    assert sorted(p.name for p in small_disk.iterdir()) == ["oscli.db"]
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (300 * 1024 - 16 * 1024))  # leave less room than the GeoJSON needs (34 KB)
    done = oscli("export", "geojson", str(small_disk / "cities.geojson"))
    assert done.returncode == 1 and "cannot write" in done.stderr, done.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "oscli.db"]


def test_a_failure_while_writing_removes_the_temporary_file(tmp_path):
    target = tmp_path / "oscli.db"
    target.write_bytes(b"old")
    with pytest.raises(ZeroDivisionError), files._atomic(target) as temporary:
        Path(temporary).write_bytes(b"half a database")
        assert Path(temporary).parent == tmp_path  # beside the target: os.replace is atomic
        raise ZeroDivisionError  # an error inside the block
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oscli.db"]


# -- Datasette metadata -------------------------------------------------------------------------------


def test_metadata_describes_every_table_and_column_from_the_registry(exported, db):
    metadata = json.loads(exported[1].read_text(encoding="utf-8"))
    assert metadata["title"] and metadata["license"] == "MIT" and metadata["license_url"].startswith("https://")
    assert "GeoNames (https://www.geonames.org/)" in metadata["description"]
    assert "CC BY 4.0" in metadata["description"]
    tables = metadata["databases"]["oscli"]["tables"]
    names = {
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name "
            "NOT LIKE 'sqlite_%' AND name NOT LIKE ?",
            (fulltext.RECORDS_FTS + "%",),
        )
    }
    assert set(tables) == names
    for name, entry in tables.items():
        assert entry["description"] and entry["source"] and entry["source_url"], name
    for kind in kinds.KINDS.values():
        columns = tables[kind.plural]["columns"]
        for spec in kind.fields:
            if spec.name in columns:
                assert columns[spec.name].startswith(spec.description), (kind.name, spec.name)
        assert tables[kind.plural]["fts_table"] == fulltext.RECORDS_FTS
    cities = tables["cities"]
    assert (cities["source"].startswith("GeoNames"), cities["source_url"], cities["license"]) == (
        True,
        "https://www.geonames.org/",
        "CC BY 4.0",
    )
    assert cities["plugins"]["datasette-cluster-map"] == {
        "latitude_column": "latitude",
        "longitude_column": "longitude",
    }
    assert "model_cities_in_year" in metadata["databases"]["oscli"]["queries"]


def test_metadata_as_yaml_is_the_same_document(run, tmp_path, monkeypatch, exported):
    import yaml

    monkeypatch.chdir(tmp_path)
    result = run("export", "sqlite", "oscli.db", "--metadata", "metadata.yml")
    assert result.exit_code == 0, result
    assert yaml.safe_load((tmp_path / "metadata.yml").read_text(encoding="utf-8")) == json.loads(
        exported[1].read_text(encoding="utf-8")
    )


# -- a real Datasette ----------------------------------------------------------------------------------


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _need(name: str, what: str) -> str:
    found = _tool(name)
    if found is None:
        message = f"{name} is not installed ({what})"
        if REQUIRE:
            pytest.fail(message + "; OSCLI_REQUIRE_BROWSER is set")
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 10) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


@pytest.fixture(scope="module")
def datasette(exported, tmp_path_factory):
    """`datasette oscli.db -m metadata.json` on 127.0.0.1 and a free port; its base URL."""
    program = _need("datasette", "pip install '.[web]'")
    port = _free_port()
    log = (tmp_path_factory.mktemp("datasette") / "datasette.log").open("wb")
    server = subprocess.Popen(
        [program, "serve", str(exported[0]), "-m", str(exported[1]), "-h", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url + "/-/versions.json", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"datasette did not start: {Path(log.name).read_text()}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=20)
        log.close()


def _rows(url: str) -> list[dict]:
    return json.loads(_get(url))


def test_datasette_serves_the_cities(datasette):
    cities = _rows(datasette + "/oscli/cities.json?_shape=array&_size=max")
    assert len(cities) == 37
    dalian = next(c for c in cities if c["id"] == "dalian")
    assert (dalian["name_zh"], dalian["latitude"], dalian["longitude"]) == ("大连市", 38.91222, 121.60222)


@pytest.mark.parametrize("words", ["Suzhou", "苏州"])
def test_datasette_searches_the_records_and_each_table(datasette, words):
    query_ = urllib.parse.quote(words)
    found = {
        (r["record_type"], r["record_id"])
        for r in _rows(datasette + f"/oscli/records.json?_search={query_}&_shape=array&_size=max")
    }
    assert {("city", "suzhou"), ("area", "suzhou-industrial-park")} <= found
    assert [r["id"] for r in _rows(datasette + f"/oscli/cities.json?_search={query_}&_shape=array")] == ["suzhou"]


def test_datasette_answers_the_views_and_canned_queries(datasette):
    assert len(_rows(datasette + "/oscli/model_cities_2016.json?_shape=array&_size=max")) == 31
    assert len(_rows(datasette + "/oscli/model_cities_in_year.json?year=2016&_shape=array&_size=max")) == 31
    by_year = _rows(datasette + "/oscli/city_titles_by_year.json?year=2016&title=model-city&_shape=array&_size=max")
    assert len(by_year) == 31


def test_datasette_reads_the_metadata_and_the_map_plugin(datasette, exported):
    served = json.loads(_get(datasette + "/-/metadata.json"))
    written = json.loads(exported[1].read_text(encoding="utf-8"))
    for key in ("title", "description", "license", "license_url", "source", "source_url"):
        assert served[key] == written[key]
    assert served["databases"]["oscli"]["tables"] == written["databases"]["oscli"]["tables"]
    assert set(served["databases"]["oscli"]["queries"]) == set(written["databases"]["oscli"]["queries"])
    plugins = {p["name"] for p in json.loads(_get(datasette + "/-/plugins.json"))}
    assert "datasette-cluster-map" in plugins


# -- a real browser ------------------------------------------------------------------------------------


def _chromium(url: str, profile: Path, *how: str) -> subprocess.CompletedProcess:
    program = _need("chromium", "apt-get install chromium")
    return subprocess.run(
        [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # nothing leaves the machine: no map tiles
            "--window-size=1280,2000",
            "--virtual-time-budget=15000",
            *how,
            url,
        ],
        capture_output=True,
        timeout=180,
    )


def png_colours(data: bytes) -> dict[bytes, int]:
    """Pixel colour -> count, from an 8-bit RGB or RGBA PNG, decoded with zlib and struct."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, header
    size = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(chunks)), width * size
    counts: dict[bytes, int] = {}
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        for i in range(0, stride, size * 4):  # every fourth pixel is enough to tell a page from a blank
            colour = bytes(line[i : i + 3])
            counts[colour] = counts.get(colour, 0) + 1
        previous = line
    return counts


def test_a_browser_shows_the_cities_table_and_map(datasette, base, tmp_path):
    url = datasette + "/oscli/cities"
    dom = _chromium(url, tmp_path / "profile-dom", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout.decode("utf-8")
    assert page.count("<tr") >= 1 + len(base.of("city"))  # the header and a row per city
    for city in base.of("city"):
        assert f'href="/oscli/cities/{city.id}"' in page, city.id
    for text in ("Dalian", "大连市", "Suzhou", "苏州市", "Ürümqi", "CC BY 4.0", "GeoNames"):
        assert text in page, text
    assert "leaflet-container" in page  # datasette-cluster-map drew its map
    assert "leaflet-marker-icon" in page  # and the cities on it (markers and clusters)

    shot = tmp_path / "datasette-cities.png"
    done = _chromium(url, tmp_path / "profile-shot", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    colours = png_colours(shot.read_bytes())
    assert len(colours) > 20 and max(colours.values()) < 0.95 * sum(colours.values()), "a blank screenshot"
    keep = os.environ.get("OSCLI_SCREENSHOT")  # python -m pytest ... with OSCLI_SCREENSHOT=docs/x.png keeps it
    if keep:
        shutil.copy(shot, ROOT / keep)


# -- GeoJSON ---------------------------------------------------------------------------------------------


def _collection(run, *options: str):
    import geojson

    result = run("export", "geojson", *options)
    assert result.exit_code == 0, result
    collection = geojson.loads(result.stdout)
    assert collection.is_valid, collection.errors()
    return collection


def test_geojson_is_a_valid_feature_collection_of_every_city(run):
    collection = _collection(run)
    cities = _json_list(run, kinds.KINDS["city"])
    assert collection["type"] == "FeatureCollection" and "crs" not in collection  # RFC 7946: WGS 84 only
    assert [f["id"] for f in collection["features"]] == [c["id"] for c in cities]
    for feature, city in zip(collection["features"], cities, strict=True):
        assert feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert (longitude, latitude) == (city["longitude"], city["latitude"])
        assert CHINA[0] <= longitude <= CHINA[2] and CHINA[1] <= latitude <= CHINA[3], city["id"]
        for key in ("id", "name", "name_zh", "province", "division_code", "geonames_id", "titles", "sources"):
            assert feature["properties"][key] == city[key], (city["id"], key)


def test_geojson_puts_longitude_first(run):
    dalian = next(f for f in _collection(run)["features"] if f["id"] == "dalian")
    longitude, latitude = dalian["geometry"]["coordinates"]
    assert abs(longitude - 121.6) < 0.1 and abs(latitude - 38.9) < 0.1


def test_geojson_selects_as_cities_list_does_and_gives_the_titles_then(run):
    collection = _collection(run, "--as-of", "2016", "--title", "model-city")
    expected = _json_list(run, kinds.KINDS["city"], "--as-of", "2016", "--title", "model-city")
    assert len(collection["features"]) == 31
    assert [f["id"] for f in collection["features"]] == [c["id"] for c in expected]
    assert [f["properties"]["titles"] for f in collection["features"]] == [c["titles"] for c in expected]
    early = _collection(run, "--as-of", "2006-09")
    assert [f["id"] for f in early["features"]] == ["dalian"]
    assert early["features"][0]["properties"]["titles"][0]["title"] == "base-city"


def test_geojson_gives_the_first_designation_date_or_its_bounds(run, base):
    features = {f["id"]: f["properties"] for f in _collection(run)["features"]}
    assert features["dalian"]["first_designation"] == {
        "id": "dalian-base-city",
        "title": "base-city",
        "date": "2006-08-04",
        "not_before": None,
        "not_after": None,
        "when": "2006-08-04",
    }
    beijing = features["beijing"]["first_designation"]
    assert beijing["date"] is None and beijing["not_before"] and beijing["not_after"]
    assert beijing["when"] == f"between {beijing['not_before']} and {beijing['not_after']}"
    for city in base.of("city"):
        first = history.designations_of(base, "city", city.id)
        assert (features[city.id]["first_designation"] or {}).get("id") == (first[0].id if first else None)


def test_geojson_to_a_file_and_its_errors(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    written = run("export", "geojson", "cities.geojson")
    assert written.exit_code == 0 and written.stdout == "cities.geojson\tGeoJSON: 37 cities\n"
    assert json.loads((tmp_path / "cities.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert run("export", "geojson", "cities.geojson").exit_code == 1
    assert run("export", "geojson", "--as-of", "2016-13").exit_code == 2
    assert run("export", "geojson", "--title", "model-cty").exit_code == 1


# -- linear in the data ---------------------------------------------------------------------------------


def test_export_time_and_size_grow_linearly(tmp_path):
    """5x and 50x synthetic bases (bench/generate.py): ten times the records may take at most 25 times
    as long (quadratic work would take 100 times) and the file grows about tenfold."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.pop(0)
    measured = {}
    for times in (5, 50):
        folder = tmp_path / f"{times}x"
        generate(times, folder)
        report = validate(folder)
        assert not report.errors, report.errors[:3]
        best = None
        for _ in range(3):
            started = time.perf_counter()
            summary = sqlite(report.base, tmp_path / f"{times}x.db", replace=True)
            elapsed = time.perf_counter() - started
            best = elapsed if best is None else min(best, elapsed)
        assert summary.tables["cities"] == 37 * times
        measured[times] = (best, summary.size)
    (small_time, small_size), (large_time, large_size) = measured[5], measured[50]
    assert large_time < 25 * small_time, measured
    assert 4 * small_size < large_size < 12 * small_size, measured
    connection = sqlite3.connect(tmp_path / "50x.db")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("SELECT count(*) FROM model_cities_2016").fetchone() == (31,)  # copy 0's titles


def test_query_select_is_what_geojson_uses(base):
    """The GeoJSON's cities are filters.select's, in the same order (the filters are not rewritten)."""
    collection = cities_geojson(base, "2010", None)
    assert [f["id"] for f in collection["features"]] == [c.id for c in filters.select(base, "city", {"as_of": "2010"})]


def test_other_commands_do_not_import_the_export_code(tmp_path):
    """Start-up: sqlite3 and the export module are imported only by `oscli export`."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "outsourcing_cli", "cities", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "outsourcing_cli.present.views" in imported  # the measurement works
    assert not {"sqlite3", "_sqlite3", "outsourcing_cli.export"} & imported


def test_the_geojson_export_loads_neither_sqlite3_nor_the_database_layout(tmp_path):
    """`oscli export geojson` needs no database: it imports the map and the file writing only."""
    done = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "outsourcing_cli",
            "export",
            "geojson",
            str(tmp_path / "cities.geojson"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert {"outsourcing_cli.export.geojson", "outsourcing_cli.export.files"} <= imported  # the measurement works
    database = {"tables", "fulltext", "citations", "holdings", "layout", "sqlite", "datasette"}
    assert not {"sqlite3", "_sqlite3", *(f"outsourcing_cli.export.{m}" for m in database)} & imported
