"""The page lifecycle: script order, events, errors as Chrome prints them, quiescence."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import jsapi
from jsapi.page import Page, PageLoadError
from tests.page.conftest import errors, logs

ORDER_PAGE = """<!doctype html>
<html><head>
<script>console.log("head", document.currentScript.id === "" , document.readyState)</script>
<script defer src="defer1.js"></script>
<script async src="async.js"></script>
<script type="module">console.log("inline module", typeof document.currentScript)</script>
<script defer src="defer2.js"></script>
</head><body>
<p id="p">text</p>
<script id="late">
  console.log("body", document.currentScript.id, document.getElementById("p").textContent);
  document.addEventListener("DOMContentLoaded", () => console.log("DOMContentLoaded"));
  addEventListener("load", () => console.log("load", document.readyState));
  setTimeout(() => console.log("timer"), 0);
</script>
</body></html>"""


def test_scripts_run_in_html_order(run_page) -> None:
    result, _ = run_page(
        {
            "index.html": ORDER_PAGE,
            "defer1.js": "console.log('defer1', document.readyState)",
            "defer2.js": "console.log('defer2')",
            "async.js": "console.log('async')",
        }
    )
    assert logs(result) == [
        "head true loading",
        "body late text",
        "async",
        "defer1 interactive",
        "inline module object",
        "defer2",
        "DOMContentLoaded",
        "load complete",
        "timer",
    ]
    assert result.status == 0 and result.reason == "idle"


def test_top_level_bindings_are_shared_between_classic_scripts(run_page) -> None:
    page = "<script>let n = 1; const f = () => n * 2;</script><script>console.log(f() + n)</script>"
    result, _ = run_page({"index.html": page})
    assert logs(result) == ["3"]


def test_uncaught_exception_is_printed_like_chrome_and_fails_the_run(run_page) -> None:
    page = "<body>\n<script>\nfunction boom() {\n  null.x;\n}\nboom();\n</script>\n"
    page += "<script>console.log('next script still runs')</script>"
    result, _ = run_page({"index.html": page})
    assert result.status == 1
    assert errors(result) == [
        "Uncaught TypeError: Cannot read properties of null (reading 'x')\n"
        "    at boom (http://localhost/index.html:4:8)\n"
        "    at http://localhost/index.html:6:1"
    ]
    assert logs(result) == ["next script still runs"]
    assert result.errors[0].kind == "exception"


def test_syntax_error_names_file_and_line_and_the_page_goes_on(run_page) -> None:
    result, _ = run_page(
        {
            "index.html": '<script src="bad.js"></script><script>console.log("after")</script>',
            "bad.js": "let a = 1;\nlet b = ;\n",
        }
    )
    assert errors(result) == [
        "Uncaught SyntaxError: Unexpected token ';' (at http://localhost/bad.js:2:9)"
    ]
    assert logs(result) == ["after"]
    assert result.status == 1


def test_error_in_timer_and_listener_reported(run_page) -> None:
    page = """<script>
    setTimeout(() => { throw new RangeError("in timer"); }, 1);
    document.addEventListener("DOMContentLoaded", () => { throw "a string"; });
    </script>"""
    result, _ = run_page({"index.html": page})
    texts = errors(result)
    assert texts[0] == "Uncaught a string"
    assert texts[1].startswith(
        "Uncaught RangeError: in timer\n    at http://localhost/index.html:2:30"
    )


def test_error_listener_can_prevent_the_report(run_page) -> None:
    page = """<script>
    addEventListener("error", (e) => { console.log("seen", e.message); e.preventDefault(); });
    setTimeout(() => { throw new Error("quiet"); });
    </script>"""
    result, _ = run_page({"index.html": page})
    assert logs(result) == ["seen Uncaught Error: quiet"]
    assert result.status == 0 and errors(result) == []


def test_unhandled_rejections(run_page) -> None:
    page = """<script>
    Promise.reject(new TypeError("nobody"));
    new Promise((_, reject) => reject(42)).catch(() => console.log("caught in time"));
    async function main() { await null; throw new Error("from async"); }
    setTimeout(main, 0);
    const late = Promise.reject("late");
    setTimeout(() => late.catch(() => {}), 20);
    addEventListener("rejectionhandled", () => console.log("rejectionhandled"));
    </script>"""
    result, _ = run_page({"index.html": page})
    assert logs(result) == ["caught in time", "rejectionhandled"]
    texts = errors(result)
    assert texts[0].startswith("Uncaught (in promise) TypeError: nobody\n    at ")
    assert "Uncaught (in promise) late" in texts
    assert any(t.startswith("Uncaught (in promise) Error: from async") for t in texts)
    assert [e.kind for e in result.errors] == ["rejection"] * 3
    assert result.status == 1


def test_unhandledrejection_event_can_be_cancelled(run_page) -> None:
    page = """<script>
    addEventListener("unhandledrejection", (e) => {
      console.log("saw", e.reason);
      e.preventDefault();
    });
    Promise.resolve().then(() => { throw "x"; });
    </script>"""
    result, _ = run_page({"index.html": page})
    assert logs(result) == ["saw x"]
    assert result.status == 0


def test_missing_script_is_a_console_error_not_an_exception(run_page) -> None:
    page = '<script src="nope.js" onerror=""></script><script>console.log("on")</script>'
    result, _ = run_page({"index.html": page})
    assert errors(result) == ["GET http://localhost/nope.js net::ERR_FILE_NOT_FOUND"]
    assert logs(result) == ["on"]
    assert result.status == 0 and result.errors[0].kind == "resource"


def test_modules_import_maps_and_dynamic_import(run_page) -> None:
    page = """<script type="importmap">{"imports": {"lib": "./lib/index.js"}}</script>
    <script type="module" src="main.js"></script>
    <script>
      import("./lib/index.js").then((m) => console.log("classic import()", m.value));
    </script>"""
    result, _ = run_page(
        {
            "index.html": page,
            "main.js": "import { value } from 'lib';\n"
            "console.log('module', value, import.meta.url);",
            "lib/index.js": "export const value = 7;",
        }
    )
    assert sorted(logs(result)) == [
        "classic import() 7",
        "module 7 http://localhost/main.js",
    ]
    assert result.status == 0


def test_module_syntax_error_is_reported(run_page) -> None:
    result, _ = run_page(
        {"index.html": '<script type="module" src="m.js"></script>', "m.js": "export let ;"}
    )
    assert result.status == 1
    assert errors(result)[0].startswith("Uncaught SyntaxError")


def test_virtual_time_runs_long_timers_without_waiting(run_page) -> None:
    page = """<script>
    const t0 = Date.now();
    setTimeout(() => console.log("one hour later", Date.now() - t0 >= 3600000), 3600000);
    setTimeout(() => console.log("first"), 1000);
    </script>"""
    start = time.monotonic()
    result, _ = run_page({"index.html": page}, virtual_time=True)
    assert time.monotonic() - start < 10
    assert logs(result) == ["first", "one hour later true"]


def test_timeout_stops_a_page_that_never_goes_quiet(run_page) -> None:
    result, _ = run_page({"index.html": "<script>setInterval(() => {}, 10)</script>"}, timeout=0.5)
    assert result.reason == "timeout"
    assert result.status == 0


def test_a_script_that_never_returns_is_stopped_at_the_timeout(run_page) -> None:
    page = (
        "<script>console.log('before')</script><script>while (true) {}</script>"
        "<script>console.log('after')</script>"
    )
    result, _ = run_page({"index.html": page}, timeout=1.0)
    assert result.reason == "hung"
    assert result.status == 1
    assert logs(result) == ["before"]
    assert result.errors[-1].kind == "timeout"


def test_request_animation_frame_runs_about_sixty_frames_a_second(run_page) -> None:
    page = """<script>
    const stamps = [];
    function frame(t) { stamps.push(t); if (stamps.length < 6) requestAnimationFrame(frame); else
      console.log(stamps.slice(1).map((s, i) => Math.round(s - stamps[i])).join(",")); }
    requestAnimationFrame(frame);
    const id = requestAnimationFrame(() => console.log("cancelled"));
    cancelAnimationFrame(id);
    </script>"""
    result, _ = run_page({"index.html": page}, virtual_time=True)
    assert logs(result) == ["17,17,17,17,17"]


def test_nested_timers_are_clamped_to_4ms(run_page) -> None:
    page = """<script>
    const t = [];
    function tick() { t.push(performance.now()); if (t.length < 12) setTimeout(tick, 0);
      else console.log(t.slice(6).every((v, i, a) => i === 0 || v - a[i - 1] >= 3.99)); }
    setTimeout(tick, 0);
    </script>"""
    result, _ = run_page({"index.html": page}, virtual_time=True)
    assert logs(result) == ["true"]


def test_page_api_evaluate_and_context_manager(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<title>T</title><script>var answer = 42;</script>")
    assert jsapi.Page is Page
    with jsapi.Page.open(tmp_path / "index.html", engine="v8") as page:
        result = page.run()
        assert page.evaluate("answer + 1") == 43
        assert page.evaluate("document.title") == "T"
        assert page.evaluate("location.href") == "http://localhost/index.html"
        # Nothing of the bridge (and so of Python) is reachable from the page.
        assert page.evaluate("typeof globalThis.__jsapiBridge") == "undefined"
        assert page.console == result.console


def test_page_outside_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "x.html").write_text("")
    try:
        Page.open(tmp_path / "x.html", root=tmp_path / "a")
    except PageLoadError as e:
        assert "not inside the served root" in str(e)
    else:
        raise AssertionError("expected PageLoadError")


def test_cli_json_record_and_exit_status(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<script>console.warn('careful'); console.log('hi'); undefinedName;</script>"
    )
    cmd = [sys.executable, "-m", "jsapi", "run", str(tmp_path / "index.html"), "--engine", "v8"]
    out = subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    record = json.loads(out.stdout)
    assert [(m["level"], m["text"]) for m in record["console"]][:2] == [
        ("warn", "careful"),
        ("log", "hi"),
    ]
    assert record["errors"][0]["message"] == "Uncaught ReferenceError: undefinedName is not defined"
    assert record["reason"] == "idle" and record["engine"] == "v8"
    assert set(record["timing"]) == {"load_ms", "total_ms"}
    plain = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert plain.returncode == 1
    assert plain.stdout == "hi\n"
    assert plain.stderr.startswith("careful\nUncaught ReferenceError: undefinedName is not defined")
