"""`oscli mcp`, driven by the MCP SDK's own stdio client (``mcp.ClientSession`` over
``mcp.client.stdio.stdio_client``), as Claude Desktop or VS Code would: the installed console script
is started as a subprocess, initialised, and every tool and resource is used through the protocol.
No mocks: the answers are the fact base's.

The protocol's hygiene is checked apart, on the raw stream: every line on stdout is a JSON-RPC 2.0
message, across every tool and an error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import oscli_executable

mcp = pytest.importorskip("mcp", reason="the MCP SDK is a test dependency: pip install -e '.[test]'")

TRANSCRIPT = Path(os.environ.get("OSCLI_MCP_TRANSCRIPT", "")) if os.environ.get("OSCLI_MCP_TRANSCRIPT") else None


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "OSCLI_DATA_DIR")}
    return env


async def _session_calls(data_dir: str | None = None) -> dict:
    """One session: initialise, list the tools, call each, list and read resources. Returns what
    came back, by name; also the time from spawn to the initialize answer."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    args = (["--data-dir", data_dir] if data_dir else []) + ["mcp"]
    params = StdioServerParameters(command=oscli_executable(), args=args, env=_environment())
    out: dict = {}
    started = time.perf_counter()
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            out["initialize"] = await session.initialize()
            out["initialize_seconds"] = time.perf_counter() - started
            out["tools"] = await session.list_tools()
            calls = {
                "search": ("search", {"query": "苏州"}),
                "show_2007": ("show", {"kind": "city", "id": "suzhou", "as_of": "2007"}),
                "show_2010": ("show", {"kind": "city", "id": "suzhou", "as_of": "2010"}),
                "list": ("list", {"kind": "city", "as_of": "2009-06", "title": "model-city"}),
                "cite_claim": ("cite", {"id": "dalian", "claim": "name_zh"}),
                "cite": ("cite", {"id": "11th-fyp", "format": "bibtex"}),
                "timeline": ("timeline", {"title": "model-city", "until": "2010"}),
                "missing": ("show", {"kind": "city", "id": "suzhuo"}),
                "bad_date": ("show", {"kind": "city", "id": "suzhou", "as_of": "2009-13"}),
                "bad_filter": ("list", {"kind": "policy", "city": "suzhou"}),
                "provisions_2012": ("provisions", {"place": "苏州", "as_of": "2012-06"}),
                "provisions_dalian_2007": ("provisions", {"place": "dalian", "as_of": "2007-06"}),
                "provisions_missing": ("provisions", {"place": "suzhuo"}),
            }
            for name, (tool, arguments) in calls.items():
                out[name] = await session.call_tool(tool, arguments)
                out[name + "_arguments"] = (tool, arguments)
            out["resources"] = await session.list_resources()
            out["templates"] = await session.list_resource_templates()
            out["resource_suzhou"] = await session.read_resource("oscli://city/suzhou")
            out["resource_model"] = await session.read_resource("oscli://docs/data-model")
    return out


@pytest.fixture(scope="module")
def calls() -> dict:
    import anyio

    found = anyio.run(_session_calls)
    if TRANSCRIPT is not None:
        _write_transcript(found, TRANSCRIPT)
    return found


def _structured(result) -> dict:
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


def _error_text(result) -> str:
    assert result.is_error
    return " ".join(getattr(block, "text", "") for block in result.content)


def _write_transcript(found: dict, path: Path) -> None:
    lines = [
        f"initialize: server {found['initialize'].server_info.name} {found['initialize'].server_info.version}, "
        f"protocol {found['initialize'].protocol_version}, {found['initialize_seconds']:.2f} s from spawn",
        "tools: " + ", ".join(t.name for t in found["tools"].tools),
    ]
    for name in (
        "search",
        "show_2007",
        "show_2010",
        "list",
        "cite_claim",
        "cite",
        "timeline",
        "missing",
        "bad_date",
        "bad_filter",
        "provisions_2012",
        "provisions_missing",
    ):
        tool, arguments = found[name + "_arguments"]
        result = found[name]
        body = result.structured_content if not result.is_error else _error_text(result)
        text = json.dumps(body, ensure_ascii=False)
        lines.append(f"> {tool} {json.dumps(arguments, ensure_ascii=False)}")
        lines.append(f"< {'ERROR ' if result.is_error else ''}{text[:600]}{'…' if len(text) > 600 else ''}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_tools_are_listed_with_their_schemas(calls):
    tools = {t.name: t for t in calls["tools"].tools}
    assert set(tools) == {"search", "show", "list", "cite", "timeline", "provisions"}
    assert tools["search"].input_schema["required"] == ["query"]
    assert set(tools["show"].input_schema["required"]) == {"kind", "id"}
    assert {"as_of", "title", "city", "province", "since", "until", "limit"} <= set(
        tools["list"].input_schema["properties"]
    )
    for tool in tools.values():
        assert tool.output_schema is not None and tool.output_schema["type"] == "object"
        assert "Quote the evidence excerpts verbatim" in tool.description
        assert "possibly held" in tool.description
    assert calls["initialize"].server_info.name == "oscli"
    assert "never guess" in calls["initialize"].instructions


def test_search_finds_the_city_and_the_park_with_sources(calls):
    found = _structured(calls["search"])
    ids = [(h["type"], h["id"]) for h in found["hits"]]
    assert ("city", "suzhou") in ids and ("area", "suzhou-industrial-park") in ids
    city = next(h for h in found["hits"] if h["id"] == "suzhou")
    assert city["match"] == "exact" and city["field"] == "name_zh"
    assert all(h["sources"] and any(s["url"] for s in h["sources"]) for h in found["hits"])


def test_show_gives_the_titles_as_of_the_date(calls):
    before = _structured(calls["show_2007"])["record"]
    after = _structured(calls["show_2010"])["record"]
    assert before["id"] == after["id"] == "suzhou" and before["name_zh"] == "苏州市"
    assert [t["title"] for t in before["titles"]] == []
    assert [(t["title"], t["status"]) for t in after["titles"]] == [("model-city", "held")]
    assert after["titles"][0]["designation"] == "suzhou-model-city"
    assert any(s["url"] for s in after["source_records"]) and after["evidence"]


def test_list_selects_as_the_cli_does(calls):
    found = _structured(calls["list"])
    assert found["type"] == "city" and found["total"] == 20
    assert "suzhou" in [r["id"] for r in found["records"]] and "xiamen" not in [r["id"] for r in found["records"]]
    assert all(r["source_records"] for r in found["records"])


def test_cite_a_claim_carries_its_excerpt_and_url(calls):
    found = _structured(calls["cite_claim"])
    claim = found["claim"]
    assert claim["claim"] == "name_zh" and claim["value"] == "大连市"
    assert claim["sources"] and all(s["url"] for s in claim["sources"])
    assert any(s["excerpt"] and "大连" in s["excerpt"] for s in claim["sources"])
    assert "大连" in found["citation"]


def test_cite_a_document_in_bibtex(calls):
    found = _structured(calls["cite"])
    assert found["citation"].startswith("@misc{11th-fyp,")
    assert found["sources"] and all(s["url"] for s in found["sources"])


def test_timeline_until_2010(calls):
    found = _structured(calls["timeline"])
    subjects = [e["subject"] for e in found["events"]]
    assert len(subjects) == 21 and "xiamen" in subjects and "shenyang" not in subjects
    assert all(e["source_records"] and any(s["url"] for s in e["source_records"]) for e in found["events"])


def test_a_missing_record_is_a_tool_error_with_suggestions(calls):
    text = _error_text(calls["missing"])
    assert "no city 'suzhuo'" in text and "'suzhou'" in text


def test_bad_arguments_are_clear_tool_errors(calls):
    assert "'2009-13' is not a date" in _error_text(calls["bad_date"])
    text = _error_text(calls["bad_filter"])
    assert "policies cannot be filtered by city" in text


def test_resources_list_every_record_and_read_as_json(calls):
    uris = {str(r.uri) for r in calls["resources"].resources}
    assert {
        "oscli://city/suzhou",
        "oscli://policy/11th-fyp",
        "oscli://source/oj-article",
        "oscli://docs/data-model",
    } <= uris
    assert any(t.uri_template == "oscli://{kind}/{id}" for t in calls["templates"].resource_templates)
    record = json.loads(calls["resource_suzhou"].contents[0].text)
    assert record["id"] == "suzhou" and record["source_records"]
    model = calls["resource_model"].contents[0].text
    assert "## city (`oscli cities`, cities.yaml)" in model and "`name_zh`" in model


# -- the raw stream: nothing but JSON-RPC on stdout -------------------------------------------------


def _exchange(process: subprocess.Popen, message: dict) -> dict | None:
    process.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
    process.stdin.flush()
    if "id" not in message:
        return None
    while True:
        line = process.stdout.readline()
        assert line, "the server closed stdout"
        parsed = json.loads(line)  # every line is JSON...
        assert parsed.get("jsonrpc") == "2.0", line  # ...and JSON-RPC 2.0
        if parsed.get("id") == message["id"]:
            return parsed


def test_stdout_carries_only_json_rpc_across_every_tool():
    process = subprocess.Popen(
        [oscli_executable(), "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=_environment(),
    )
    try:
        answer = _exchange(
            process,
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "hygiene", "version": "1"},
                },
            },
        )
        assert answer["result"]["serverInfo"]["name"] == "oscli"
        _exchange(process, {"jsonrpc": "2.0", "method": "notifications/initialized"})
        calls = [
            ("search", {"query": "Xian"}),
            ("show", {"kind": "policy", "id": "11th-fyp"}),
            ("list", {"kind": "designation", "city": "dalian"}),
            ("cite", {"id": "oj-article", "format": "ris"}),
            ("timeline", {}),
            ("provisions", {"place": "xiamen", "as_of": "2011"}),
            ("show", {"kind": "nonsense", "id": "x"}),
            ("search", {"query": "!!!"}),
        ]
        for number, (tool, arguments) in enumerate(calls, start=2):
            answer = _exchange(
                process,
                {
                    "jsonrpc": "2.0",
                    "id": number,
                    "method": "tools/call",
                    "params": {"name": tool, "arguments": arguments},
                },
            )
            assert "result" in answer, answer
        assert answer["result"]["isError"] is True  # the last two are errors, as results
        for number, method in enumerate(("tools/list", "resources/list", "resources/templates/list"), start=20):
            assert "result" in _exchange(process, {"jsonrpc": "2.0", "id": number, "method": method})
        process.stdin.close()
        assert process.wait(timeout=30) == 0
        rest = process.stdout.read()
        assert rest == "", rest
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()


def test_invalid_data_exits_3_before_serving(tmp_path):
    (tmp_path / "cities.yaml").write_text("cities: [\n", encoding="utf-8")
    result = subprocess.run(
        [oscli_executable(), "--data-dir", str(tmp_path), "mcp"],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        env=_environment(),
    )
    assert result.returncode == 3 and result.stdout == ""
    assert "is invalid" in result.stderr and "oscli --data-dir" in result.stderr


def test_without_the_sdk_it_says_how_to_get_it(tmp_path):
    """A Python that cannot import mcp (a sitecustomize hides it): exit 69 with the pip line."""
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text(
        "import sys\n"
        "class _Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'mcp' or name.startswith('mcp.'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, _Hide())\n",
        encoding="utf-8",
    )
    env = _environment()
    env["PYTHONPATH"] = str(hide)
    result = subprocess.run(
        [sys.executable, "-m", "outsourcing_cli", "mcp"], input="", capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 69, result
    assert "pip install 'oscli[mcp]'" in result.stderr and "Traceback" not in result.stderr


def test_the_printed_config_starts_the_server(tmp_path):
    """`oscli mcp --config vscode` prints what a client runs; running exactly that serves the data."""
    import anyio
    from conftest import DATA
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    printed = subprocess.run(
        [oscli_executable(), "--data-dir", str(DATA), "mcp", "--config", "vscode"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=_environment(),
    )
    assert printed.returncode == 0, printed.stderr
    server = json.loads(printed.stdout)["servers"]["oscli"]
    assert server["type"] == "stdio" and Path(server["command"]).is_absolute()
    assert server["args"] == ["--data-dir", str(DATA.resolve()), "mcp"]
    claude = subprocess.run(
        [oscli_executable(), "mcp", "--config", "claude"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_environment(),
    )
    assert json.loads(claude.stdout) == {"mcpServers": {"oscli": {"command": server["command"], "args": ["mcp"]}}}

    async def use() -> dict:
        params = StdioServerParameters(command=server["command"], args=server["args"], env=_environment())
        with open(os.devnull, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                return (await session.call_tool("show", {"kind": "policy", "id": "11th-fyp"})).structured_content

    shown = anyio.run(use)
    assert shown["record"]["id"] == "11th-fyp" and shown["record"]["quotes"]


def test_provisions_for_a_place_as_the_cli_lists_them(calls, run):
    """The provisions tool gives what `oscli provisions list --city suzhou --as-of 2012-06` gives."""
    found = _structured(calls["provisions_2012"])
    assert found["place"] == {"type": "city", "id": "suzhou", "label": "Suzhou"} and found["as_of"] == "2012-06"
    cli = json.loads(run("provisions", "list", "--city", "suzhou", "--as-of", "2012-06", "--json").stdout)
    assert [p["id"] for p in found["provisions"]] == [p["id"] for p in cli] and found["total"] == len(cli) > 0
    assert [p.get("status") for p in found["provisions"]] == [p.get("status") for p in cli]
    assert "tase-eit-model-cities-2009" in [p["id"] for p in cli]
    assert all(p["source_records"] and p["evidence"] for p in found["provisions"])
    dalian = _structured(calls["provisions_dalian_2007"])
    assert "tase-eit-model-cities-2009" not in [p["id"] for p in dalian["provisions"]]
    text = _error_text(calls["provisions_missing"])
    assert "no city or area 'suzhuo'" in text and "'suzhou'" in text
