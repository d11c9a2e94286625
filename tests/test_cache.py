"""The validated-data cache: it is used, and a changed input is never served stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from outsourcing_cli.store import cache, codec, validate, yamltree
from outsourcing_cli.store.load import read_files

_VALIDATE = validate.validate  # (some tests replace it, to prove that a hit does not validate)


def _key(data_dir):
    return cache.key(data_dir, read_files(data_dir))


def _entries(folder):
    return list(folder.glob("*" + cache.SUFFIX))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OSCLI_CACHE_DIR", str(folder))
    monkeypatch.delenv("OSCLI_NO_CACHE", raising=False)
    return folder


def _no_validation(monkeypatch):
    def fail(data_dir, reads=None):
        raise AssertionError("validated again: the cache was not used")

    monkeypatch.setattr(validate, "validate", fail)


def test_the_cached_report_equals_a_fresh_one(cache_dir, data_copy):
    fresh = validate.validate(data_copy)
    first = cache.validated(data_copy)  # a miss: validates and stores
    second = cache.validated(data_copy)  # a hit
    assert len(_entries(cache_dir)) == 1
    for report in (first, second):
        assert report.base == fresh.base
        assert report.findings == fresh.findings
        assert [c.origin for c in report.base.of("city")] == [c.origin for c in fresh.base.of("city")]
    assert second.base.of("city")[0].at("name") == fresh.base.of("city")[0].at("name")


def test_a_hit_does_not_validate(cache_dir, data_copy, monkeypatch):
    cache.validated(data_copy)
    _no_validation(monkeypatch)
    assert cache.validated(data_copy).base.of("city")[0].name == "Dalian"


def test_an_edit_with_the_same_size_and_time_is_seen(cache_dir, data_copy):
    """The key is the content, not the time stamp: a same-length edit with the old mtime is a miss."""
    path = data_copy / "cities.yaml"
    cache.validated(data_copy)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("name: Dalian", "name: Dalixn"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert cache.validated(data_copy).base.of("city")[0].name == "Dalixn"


def test_a_deleted_file_is_seen(cache_dir, data_copy):
    cache.validated(data_copy)
    (data_copy / "sources.yaml").unlink()
    assert "OSC001" in [f.code for f in cache.validated(data_copy).errors]


def test_the_key_covers_code_and_limits_but_not_where_the_data_is_seen_from(
    cache_dir, data_copy, tmp_path, monkeypatch
):
    before = _key(data_copy)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert _key(data_copy) != before
    monkeypatch.undo()
    monkeypatch.setenv("OSCLI_MAX_FILE_MIB", "64")  # what is valid depends on it (the node limit)
    assert _key(data_copy) != before
    monkeypatch.delenv("OSCLI_MAX_FILE_MIB")
    monkeypatch.chdir(tmp_path)  # paths are shown as seen from here when an entry is read, not kept in it
    assert _key(data_copy) == before
    monkeypatch.chdir(data_copy)
    assert _key(data_copy) == _key(data_copy.parent / "data") == before


def _with_findings(data_dir, duplicate: bool = False) -> None:
    """A warning in sources.yaml (an unused source); with ``duplicate``, an error whose message quotes
    a path ("already used at <path>:line:column")."""
    sources = data_dir / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    unused = (
        text[text.index("  - id: oj-article") :].split("\n  - id: ")[0].replace("id: oj-article", "id: never-cited")
    )
    sources.write_text(text.rstrip("\n") + "\n" + unused.rstrip("\n") + "\n", encoding="utf-8")
    if duplicate:
        sources.write_text(sources.read_text(encoding="utf-8") + unused.rstrip("\n") + "\n", encoding="utf-8")


def test_an_entry_warmed_in_one_directory_is_used_from_another(cache_dir, data_copy, tmp_path, monkeypatch):
    """Findings and records' origins show paths relative to the working directory of the run that
    reads the entry, exactly as a fresh validation there would; and it is a hit, not a new entry."""
    _with_findings(data_copy)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path)
    first = cache.validated(data_copy)
    assert [f.file for f in first.findings if f.code == "OSC303"] == ["data/sources.yaml"]
    _no_validation(monkeypatch)
    for cwd, shown in ((elsewhere, str(data_copy / "sources.yaml")), (data_copy, "sources.yaml")):
        monkeypatch.chdir(cwd)
        fresh = _VALIDATE(data_copy)
        report = cache.validated(data_copy)
        assert [f.file for f in report.findings if f.code == "OSC303"] == [shown]
        assert report.findings == fresh.findings
        assert [c.origin for c in report.base.of("city")] == [c.origin for c in fresh.base.of("city")]
        assert report.base.of("city")[0].at("name") == fresh.base.of("city")[0].at("name")
    assert len(_entries(cache_dir)) == 1


def test_an_entry_whose_messages_quote_paths_is_a_miss_elsewhere(cache_dir, data_copy, tmp_path, monkeypatch):
    _with_findings(data_copy, duplicate=True)
    monkeypatch.chdir(tmp_path)
    first = cache.validated(data_copy)
    quoting = [f.message for f in first.findings if f.code == "OSC201"]
    assert quoting and "already used at data/sources.yaml:" in quoting[0]
    monkeypatch.chdir(data_copy)
    again = cache.validated(data_copy)
    assert again.findings == validate.validate(data_copy).findings
    assert "already used at sources.yaml:" in next(f.message for f in again.findings if f.code == "OSC201")


@pytest.mark.parametrize("module", sorted(p.relative_to(cache._HERE).as_posix() for p in cache._HERE.rglob("*.py")))
def test_a_change_to_any_module_is_a_miss(cache_dir, data_copy, tmp_path, monkeypatch, module):
    """Every module of the package is in the key, found by listing the package: no hand-kept list
    that could forget one (paths.py was missing from the old list)."""
    copy = tmp_path / "pkg"
    copy.mkdir()
    for path in cache._HERE.rglob("*.py"):  # every layer's folder too
        (copy / path.relative_to(cache._HERE)).parent.mkdir(parents=True, exist_ok=True)
        (copy / path.relative_to(cache._HERE)).write_bytes(path.read_bytes())
    monkeypatch.setattr(cache, "_HERE", copy)
    monkeypatch.setattr(cache, "_CODE_DIGEST", None)
    before = _key(data_copy)
    (copy / module).write_bytes((copy / module).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(cache, "_CODE_DIGEST", None)
    assert _key(data_copy) != before
    changed = _key(data_copy)
    source = (copy / module).read_bytes()  # an edit of the same size, saved a little later
    (copy / module).write_bytes(source.replace(b"# changed", b"# CHANGED"))
    os.utime(copy / module, ns=(os.stat(copy / module).st_atime_ns, os.stat(copy / module).st_mtime_ns + 1000))
    monkeypatch.setattr(cache, "_CODE_DIGEST", None)
    assert _key(data_copy) != changed


def test_a_corrupt_entry_is_a_miss_and_is_replaced(cache_dir, data_copy):
    cache.validated(data_copy)
    (entry,) = _entries(cache_dir)
    entry.write_bytes(b"not json")
    assert cache.validated(data_copy).base.of("city")[0].name == "Dalian"
    assert _decoded(entry, data_copy) == validate.validate(data_copy)


def _decoded(entry, data_dir):
    return codec.decode(codec.opened(entry.read_bytes(), entry.name), data_dir)


def test_a_damaged_entry_is_never_decoded_and_is_replaced(cache_dir, data_copy, monkeypatch, capsys):
    """One changed byte anywhere (here: Dalian's Chinese name, which would still decode) fails the
    digest before anything is decoded: a miss, the YAML read again, the entry written again."""
    cache.validated(data_copy)
    (entry,) = _entries(cache_dir)
    whole = entry.read_bytes()
    at = whole.index("大连市".encode())
    entry.write_bytes(whole[:at] + "大达市".encode() + whole[at + len("大连市".encode()) :])
    with pytest.raises(ValueError, match="digest does not match"):
        codec.opened(entry.read_bytes(), entry.name)
    with pytest.raises(ValueError, match="digest does not match"):  # nor under another entry's name
        codec.opened(whole, "0" * 64 + cache.SUFFIX)
    monkeypatch.setenv("OSCLI_DEBUG", "1")
    assert cache.validated(data_copy).base.of("city")[0].name_zh == "大连市"
    assert (
        f"entry {entry.name} not used (ValueError: its digest does not match its contents (the entry is "
        "damaged)); reading the YAML again" in capsys.readouterr().err
    )
    assert entry.read_bytes() == whole


def test_a_cut_entry_is_a_miss_and_is_replaced(cache_dir, data_copy):
    cache.validated(data_copy)
    (entry,) = _entries(cache_dir)
    whole = entry.read_bytes()
    entry.write_bytes(whole[:-10])
    with pytest.raises(ValueError, match="digest does not match"):
        codec.opened(entry.read_bytes(), entry.name)
    with pytest.raises(ValueError, match="cut entry"):  # and were it sealed so, the header would not fit
        codec.decode(codec.opened(whole, entry.name)[:-10], data_copy)
    assert cache.validated(data_copy).base.of("city")[0].name == "Dalian"
    assert entry.read_bytes() == whole


def _damage(entry, kind: str) -> None:
    """Spoil one kind's records in an entry, keeping its length (so that the header still fits),
    and seal it again: an entry that oscli itself wrote wrong, which only the decoder can catch."""
    raw = codec.opened(entry.read_bytes(), entry.name)
    newline = raw.index(b"\n")
    start, end = json.loads(raw[:newline])["kinds"][kind]
    at = newline + 1 + start
    entry.write_bytes(codec.seal(raw[:at] + b"{" * (end - start) + raw[at + end - start :], entry.name))


def test_kinds_are_decoded_when_first_read(cache_dir, data_copy):
    """An entry's kinds are decoded only when read: a spoilt source segment is never noticed by a
    reader of policies; read, it raises when nothing can stand in for it."""
    cache.validated(data_copy)
    (entry,) = _entries(cache_dir)
    _damage(entry, "source")
    base = _decoded(entry, data_copy).base
    assert [p.id for p in base.of("policy")][:1] == ["11th-fyp"]
    with pytest.raises(json.JSONDecodeError):
        base.of("source")


def test_a_damaged_kind_is_validated_afresh_not_an_error(cache_dir, data_copy, oscli):
    cache.validated(data_copy)
    (entry,) = _entries(cache_dir)
    _damage(entry, "city")
    report = cache.validated(data_copy)
    assert report.base.of("city")[0].name == "Dalian" and report == validate.validate(data_copy)
    env = {"OSCLI_DATA_DIR": str(data_copy), "OSCLI_CACHE_DIR": str(data_copy.parent / "cli-cache")}
    assert oscli("cities", "list", env=env).returncode == 0
    (entry,) = _entries(data_copy.parent / "cli-cache")
    _damage(entry, "city")
    done = oscli("cities", "show", "dalian", "--json", env={**env, "OSCLI_DEBUG": "1"})
    assert done.returncode == 0 and json.loads(done.stdout)["name_zh"] == "大连市"
    assert "the city records of an entry could not be decoded (JSONDecodeError); validating afresh" in done.stderr
    assert _decoded(entry, data_copy) == validate.validate(data_copy)  # and written again, whole
    assert oscli("cities", "show", "dalian", "--json", env={**env, "OSCLI_DEBUG": "1"}).stderr == ""


def test_the_search_index_is_kept_under_the_report_s_key_and_read_back(cache_dir, data_copy, oscli):
    from outsourcing_cli.domain.search import SearchIndex, search

    base = cache.validated(data_copy).base
    (entry,) = _entries(cache_dir)
    index = cache.search_index(data_copy, base)
    kept = cache_dir / entry.name.replace(cache.SUFFIX, "-search" + cache.SUFFIX)
    assert cache.ENTRY.fullmatch(kept.name) and codec.opened(kept.read_bytes(), kept.name) == index.to_bytes()
    assert search(base, "suzhou", index=cache.search_index(data_copy, base))[0].id == "suzhou"
    kept.write_bytes(kept.read_bytes()[:-3])  # cut: a miss, rebuilt and written whole again
    assert cache.search_index(data_copy, base).texts == SearchIndex.build(base).texts
    assert codec.opened(kept.read_bytes(), kept.name) == index.to_bytes()
    env = {"OSCLI_DATA_DIR": str(data_copy), "OSCLI_CACHE_DIR": str(cache_dir)}
    first, second = (oscli("search", "苏州", "--json", env=env) for _ in range(2))
    assert first.stdout == second.stdout and json.loads(first.stdout)[0]["id"] == "suzhou"


def test_an_unusable_cache_directory_costs_only_speed(tmp_path, data_copy, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("OSCLI_CACHE_DIR", str(blocker / "cache"))
    assert cache.validated(data_copy).base.of("city")[0].name == "Dalian"


def test_no_cache_writes_nothing(cache_dir, data_copy, monkeypatch):
    monkeypatch.setenv("OSCLI_NO_CACHE", "1")
    cache.validated(data_copy)
    assert not cache_dir.exists()


def test_old_entries_are_pruned(cache_dir, data_copy, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    for n in range(4):
        (data_copy / "cities.yaml").write_text(
            (data_copy / "cities.yaml").read_text(encoding="utf-8") + f"\n# edit {n}\n", encoding="utf-8"
        )
        cache.validated(data_copy)
    assert len(_entries(cache_dir)) == 2


def test_the_cli_never_serves_stale_data(oscli, data_copy, tmp_path):
    env = {"OSCLI_DATA_DIR": str(data_copy), "OSCLI_CACHE_DIR": str(tmp_path / "c")}
    assert json.loads(oscli("cities", "show", "dalian", "--json", env=env).stdout)["name_zh"] == "大连市"
    assert len(_entries(tmp_path / "c")) == 1
    path = data_copy / "cities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name_zh: 大连市", "name_zh: 大X"), encoding="utf-8")
    assert json.loads(oscli("cities", "show", "dalian", "--json", env=env).stdout)["name_zh"] == "大X"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Dalian", "nme: Dalian"), encoding="utf-8")
    broken = oscli("cities", "list", env=env)
    assert broken.returncode == 3 and "error OSC101 city is missing required field 'name'" in broken.stderr
    assert oscli("check", env=env).returncode == 1


# -- damage at random bytes (issue 21): every output equals the output with the cache off -------------

FUZZ_COMMANDS = [
    ["cities", "list", "--json"],
    ["policy", "show", "11th-fyp", "--json"],
    ["sources", "list", "--json"],
    ["designations", "list", "--json"],
    ["check", "--json"],
    ["conflicts", "list", "--json"],
    ["cities", "list", "--as-of", "2009", "--json"],
]


def test_entries_and_indexes_damaged_at_random_bytes_never_change_an_output(run, data_copy, tmp_path):
    """200 cases (a fixed seed): one byte of the report's entry and one of its search index each set
    to another value, anywhere (envelope, header, records, index); then a search and a command that
    reads the records. Each output (stdout, stderr, exit code) equals the one with the cache off,
    and the run leaves both entries whole again."""
    import random

    rng = random.Random(21)
    folder = tmp_path / "fuzz-cache"
    env = {"OSCLI_DATA_DIR": str(data_copy), "OSCLI_CACHE_DIR": str(folder), "OSCLI_NO_CACHE": ""}  # (on)
    search = ["search", "suzhou", "--json"]
    expected = {}
    for command in [search, *FUZZ_COMMANDS]:
        cold = run(*command, env={**env, "OSCLI_NO_CACHE": "1"})
        expected[tuple(command)] = (cold.exit_code, cold.stdout, cold.stderr)
    assert run(*search, env=env).exit_code == 0
    report = next(p for p in folder.iterdir() if p.name.endswith(cache.SUFFIX) and "-search" not in p.name)
    index = report.with_name(report.name.replace(cache.SUFFIX, "-search" + cache.SUFFIX))
    whole = {report: report.read_bytes(), index: index.read_bytes()}
    for case in range(200):
        for entry, genuine in whole.items():
            at = rng.randrange(len(genuine))
            entry.write_bytes(genuine[:at] + bytes([(genuine[at] + rng.randrange(1, 256)) % 256]) + genuine[at + 1 :])
        for command in (search, FUZZ_COMMANDS[case % len(FUZZ_COMMANDS)]):
            done = run(*command, env=env)
            assert (done.exit_code, done.stdout, done.stderr) == expected[tuple(command)], (case, command)
        assert {entry: entry.read_bytes() for entry in whole} == whole, case  # rewritten whole


def test_a_missing_libyaml_is_said_once_with_how_to_get_it(tmp_path):
    """PyYAML without its C parser (yaml._yaml made unimportable): a run that parses says so once on
    stderr, --version --verbose says so, and the output is the same."""
    code = (
        "import sys; sys.modules['yaml._yaml'] = None; sys.argv = ['oscli', *sys.argv[1:]]; "
        "from outsourcing_cli.entry import main; main()"
    )
    env = {**os.environ, "OSCLI_CACHE_DIR": str(tmp_path / "cache")}

    def oscli(*args, python_yaml=True):
        return subprocess.run(
            [sys.executable, *(["-c", code] if python_yaml else ["-m", "outsourcing_cli"]), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )

    first = oscli("check", "--json")  # a miss: parses all five files
    assert first.stderr == yamltree.NO_LIBYAML + "\n"
    assert "pip install --force-reinstall pyyaml" in first.stderr and "libyaml-dev" in first.stderr
    assert json.loads(first.stdout) == json.loads(oscli("check", "--json", python_yaml=False).stdout)
    assert oscli("check", "--json").stderr == ""  # warm: nothing parsed, nothing to say
    verbose = oscli("--version", "--verbose").stdout
    assert "parser: pure Python, about 4x slower on a cold run: no libyaml" in verbose
    assert "parser: libyaml (C)" in oscli("--version", "--verbose", python_yaml=False).stdout
