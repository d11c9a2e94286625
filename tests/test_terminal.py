"""What reaches a terminal: no escape codes under NO_COLOR, TERM=dumb or in a pipe (help and usage
errors included); ids and option names never split at 40 columns. Driven through the installed
console script on a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import DATA, ROOT, oscli_executable

ESC = "\x1b"


def on_a_terminal(*args: str, columns: int = 100, env: dict | None = None) -> str:
    """Run the installed oscli with a pseudo-terminal as its stdout and stderr; all it wrote."""
    main, child = pty.openpty()
    os.set_blocking(main, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "TERM")}
    full.update({"TERM": "xterm-256color", **(env or {})})
    proc = subprocess.Popen(
        [oscli_executable(), *args], stdin=child, stdout=child, stderr=child, env=full, close_fds=True
    )
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_colour():
    assert ESC in on_a_terminal("cities", "list")
    assert ESC in on_a_terminal("--help")


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["cities", "list", "--help"],
        ["cities", "lst"],
        ["cities", "list", "--jsn"],
        ["cities", "list"],
        ["policy", "show", "11th-fyp"],
        ["check"],
        ["timeline", "--title", "model-city"],
    ],
)
def test_no_escape_code_at_all_under_no_color_or_a_dumb_terminal(env, args):
    out = on_a_terminal(*args, env=env)
    assert out.strip()
    assert ESC not in out, out[:300]


@pytest.mark.parametrize("args", [["--help"], ["cities", "list", "--help"], ["cities", "lst"], ["--version"]])
def test_no_escape_code_in_a_pipe(args):
    done = subprocess.run(
        [oscli_executable(), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")},
    )
    assert ESC not in done.stdout + done.stderr


def test_at_40_columns_ids_and_option_names_are_whole():
    table = on_a_terminal("cities", "list", columns=40)
    ids = {
        c["id"]
        for c in json.loads(
            subprocess.run(
                [oscli_executable(), "cities", "list", "--json"], capture_output=True, text=True, timeout=60
            ).stdout
        )
    }
    plain = re.sub(r"\x1b\[[0-9;]*m", "", table)
    for record_id in ids:
        assert re.search(rf"(?<![\w-]){re.escape(record_id)}(?![\w-])", plain), record_id  # never split
    helped = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("cities", "list", "--help", columns=40))
    for option in (
        "--province",
        "--primary",
        "--no-primary",
        "--title",
        "--as-of",
        "--sort",
        "--reverse",
        "--limit",
        "--count-by",
        "--format",
        "--json",
        "--fields",
    ):
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", helped), option
    assert "…" not in helped  # nothing truncated


def test_a_narrow_show_page_keeps_ids_whole():
    page = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("areas", "show", "suzhou-industrial-park", columns=40))
    assert "suzhou-industrial-park" in page.replace("\n", "") or "suzhou-industrial-park" in page


# -- the installed wheel carries the data -------------------------------------------------------------


def test_the_wheel_carries_the_data_and_runs_from_it(tmp_path):
    """The wheel (built as CI builds it, or given by OSCLI_TEST_WHEEL) holds data/ byte for byte,
    and oscli installed from it, outside the checkout, reads it."""
    wheel = os.environ.get("OSCLI_TEST_WHEEL")
    if not wheel:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        wheel = str(next((tmp_path / "dist").glob("oscli-*.whl")))
    with zipfile.ZipFile(wheel) as archive:
        for path in sorted(DATA.glob("*.yaml")):
            assert archive.read(f"outsourcing_cli/data/{path.name}") == path.read_bytes(), path.name
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), wheel],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import outsourcing_cli.store.paths as p; print(p.packaged_data_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert where.stdout.strip() == str(target / "outsourcing_cli" / "data")
    listed = subprocess.run(
        [sys.executable, "-m", "outsourcing_cli", "cities", "list", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 37
    shutil.rmtree(target)
