"""The installed console script, run in a subprocess from outside the checkout."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import oscli_executable


def test_console_script_lists_cities_as_json(oscli):
    done = oscli("cities", "list", "--json")
    assert done.returncode == 0, done.stderr
    names = [c["name"] for c in json.loads(done.stdout)]
    assert names[:3] == ["Dalian", "Chengdu", "Shanghai"] and "Suzhou" in names


def test_console_script_piped_output_has_no_ansi(oscli):
    done = oscli("policy", "show", "11th-fyp")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "build a number of outsourcing bases" in done.stdout


def test_python_dash_m_works(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "outsourcing_cli", "policy", "show", "1000-100-10", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "1,000-100-10 Project"


def test_exit_codes_across_the_process_boundary(oscli):
    assert oscli("policy", "show", "11th-fpy").returncode == 1
    assert oscli("no-such-command").returncode == 2
    assert oscli("check").returncode == 0


def test_closed_pipe_ends_quietly(tmp_path):
    """`oscli cities list | head -1`: the reader leaves early; no traceback, no error message."""
    proc = subprocess.Popen(
        [oscli_executable(), "sources", "list", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    proc.stdout.close()  # the reader is gone before oscli writes a byte
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert stderr == ""


def test_pipeline_with_head(tmp_path):
    done = subprocess.run(
        f"'{oscli_executable()}' cities list | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.stdout == "ID\tName\tChinese\tProvince\tPrimary\tTitles\n"
    assert done.stderr == ""


def test_csv_from_the_console_script_has_bom_and_crlf(oscli):
    done = subprocess.run(
        [oscli_executable(), "cities", "list", "--province", "jiangsu", "--format", "csv"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout.decode("utf-8-sig").split("\r\n")[:3] == [
        "id,name,name_zh,province,province_zh,province_type,division_code,geonames_id,latitude,longitude,"
        "primary_outsourcing_city,showcase_areas,designations,titles,note,conflicts,sources",
        "nanjing,Nanjing,南京市,Jiangsu,江苏省,province,320100,1799962,32.06167,118.77778,true,,"
        "nanjing-base-city; nanjing-model-city,base-city; model-city,,,oj-article; mca-division-codes; geonames",
        "suzhou,Suzhou,苏州市,Jiangsu,江苏省,province,320500,1886760,31.30408,120.59538,false,suzhou-industrial-park,"
        "suzhou-model-city,model-city,Host city of Suzhou Industrial Park. The 2007 article does not list Suzhou among the 11 "
        "primary outsourcing cities; Suzhou became a model city in 2009.,,oj-article; mca-division-codes; geonames",
    ]


# -- the wheel's snapshot of the shipped data (issue 22) ----------------------------------------------

import os  # noqa: E402
import shutil  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from conftest import DATA, ROOT  # noqa: E402

WARM_COMMANDS = [
    ["cities", "list", "--json"],
    ["policy", "show", "11th-fyp"],
    ["cities", "list", "--as-of", "2009", "--json"],
    ["search", "suzhou"],
    ["check"],
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel CI built (OSCLI_TEST_WHEEL), else one built now as CI builds it."""
    given = os.environ.get("OSCLI_TEST_WHEEL")
    if given:
        return Path(given)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return next(dist.glob("oscli-*.whl"))


@pytest.fixture(scope="module")
def site(wheel, tmp_path_factory) -> Path:
    """The wheel installed (pip install --target), found first on PYTHONPATH."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return target


def _installed(site: Path, cwd: Path, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run the installed wheel's oscli (as `python -X importtime -m outsourcing_cli`); its result and
    every module it imported."""
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR")}
    full.update(PYTHONPATH=str(site), **env)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "outsourcing_cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=60,
    )
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    done.stderr = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))
    return done, imported


def test_the_wheel_holds_the_snapshot_of_exactly_its_data(wheel, tmp_path, monkeypatch):
    from _blake2 import blake2b

    from outsourcing_cli.store import codec, paths, validate

    with zipfile.ZipFile(wheel) as archive:
        sealed = archive.read(f"outsourcing_cli/{paths.SNAPSHOT}")
    body = codec.opened(sealed, codec.SNAPSHOT_LABEL)
    newline = body.index(b"\n")
    header = json.loads(body[:newline])
    assert header["files"] == {p.name: blake2b(p.read_bytes(), digest_size=32).hexdigest() for p in DATA.glob("*.yaml")}
    monkeypatch.chdir(tmp_path)
    assert codec.decode(body, DATA, start=newline + 1) == validate.validate(DATA)


def test_the_installed_wheel_reads_its_snapshot_without_pyyaml_or_the_rules(site, tmp_path):
    """With the cache off, as on the first run after install: the snapshot answers, byte for byte as
    the YAML does (shown with the snapshot set aside, when PyYAML and the rules are imported)."""
    snapshot = site / "outsourcing_cli" / "data.snapshot"
    assert snapshot.is_file()
    answers = {}
    for command in WARM_COMMANDS:
        done, imported = _installed(site, tmp_path, *command, OSCLI_NO_CACHE="1", OSCLI_DEBUG="1")
        assert done.returncode == 0 and "oscli: cache" not in done.stderr, done.stderr
        assert (
            "outsourcing_cli.store.cache" in imported and "outsourcing_cli.cli.app" in imported
        )  # (the check can see)
        assert (
            not {
                "yaml",
                "outsourcing_cli.store.yamltree",
                "outsourcing_cli.domain.rules",
                "outsourcing_cli.store.schema",
            }
            & imported
        )
        answers[tuple(command)] = done.stdout, done.stderr
    snapshot.rename(snapshot.with_name("set-aside"))
    try:
        for command in WARM_COMMANDS:
            done, imported = _installed(site, tmp_path, *command, OSCLI_NO_CACHE="1")
            assert {"yaml", "outsourcing_cli.domain.rules"} <= imported
            assert (done.stdout, done.stderr) == answers[tuple(command)], command
    finally:
        snapshot.with_name("set-aside").rename(snapshot)


def test_an_edit_to_an_installed_data_file_shows(site, tmp_path):
    path = site / "outsourcing_cli" / "data" / "cities.yaml"
    genuine = path.read_bytes()
    path.write_bytes(genuine.replace("name_zh: 大连市".encode(), "name_zh: 大X".encode()))
    try:
        done, imported = _installed(
            site, tmp_path, "cities", "show", "dalian", "--json", OSCLI_NO_CACHE="1", OSCLI_DEBUG="1"
        )
        assert done.returncode == 0 and json.loads(done.stdout)["name_zh"] == "大X"
        assert "the wheel's snapshot not used: a data file is not the one it was built from" in done.stderr
        assert "yaml" in imported
        verbose, _ = _installed(site, tmp_path, "--version", "--verbose")
        assert "snapshot: not used: a data file differs from the one it was built from" in verbose.stdout
    finally:
        path.write_bytes(genuine)
    verbose, _ = _installed(site, tmp_path, "--version", "--verbose")
    assert verbose.stdout.splitlines()[0] == _installed(site, tmp_path, "--version")[0].stdout.strip()
    assert "snapshot: used (every data file matches)" in verbose.stdout


def test_a_data_directory_warmed_in_one_directory_is_warm_from_another(site, tmp_path):
    """A user's own data directory: the entry written from one working directory is read from any
    other (no PyYAML imported), and the paths in findings are those of the new directory."""
    data = tmp_path / "mydata"
    shutil.copytree(DATA, data)
    one, other = tmp_path / "one", tmp_path / "elsewhere" / "deeper"
    one.mkdir()
    other.mkdir(parents=True)
    env = {"OSCLI_DATA_DIR": str(data), "OSCLI_CACHE_DIR": str(tmp_path / "cache")}
    for command in WARM_COMMANDS:
        first, imported = _installed(site, one, *command, **env)
        assert first.returncode == 0 and ("yaml" in imported) == (command == WARM_COMMANDS[0])
    entries = sorted(p.name for p in (tmp_path / "cache").iterdir())
    for command in WARM_COMMANDS:
        warm, imported = _installed(site, other, *command, **env)
        cold, _ = _installed(site, other, *command, **env, OSCLI_NO_CACHE="1")
        assert not {"yaml", "outsourcing_cli.domain.rules"} & imported, command
        assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    # as seen from `other`: the data directory's own path, then the line and column in cities.yaml
    assert re.search(re.escape(str(data / "cities.yaml")) + r":\d+:\d+: acknowledged OSC401 ", warm.stdout), warm.stdout
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == entries  # nothing new written


def test_a_wheel_of_invalid_data_is_not_built(tmp_path):
    """The build hook validates data/ with oscli's own validator: one error and pip wheel fails,
    naming it; nothing is written."""
    for name in ("src", "data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    cities = tmp_path / "data" / "cities.yaml"
    cities.write_text(cities.read_text(encoding="utf-8").replace("name: Dalian", "nme: Dalian", 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode != 0
    assert "the shipped data has 2 error(s); no wheel is built" in done.stdout + done.stderr
    assert "error OSC101 city is missing required field 'name'" in done.stdout + done.stderr
    assert not list(tmp_path.glob("dist/*.whl"))
