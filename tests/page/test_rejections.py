"""Rejections of promises made by async functions called bare are reported (HTML 8.1.4.7)."""

from __future__ import annotations

from jsapi.modules.rewrite import rewrite_classic_script, rewrite_module
from tests.page.conftest import errors, logs


def _page(script: str, kind: str = "") -> dict[str, str]:
    attr = f' type="{kind}"' if kind else ""
    return {"index.html": f"<script{attr}>\n{script}\n</script>"}


def test_bare_async_main_that_throws_fails_the_page(run_page) -> None:
    result, _ = run_page(_page('async function main() { throw new Error("boom"); }\nmain();'))
    texts = errors(result)
    assert len(texts) == 1 and texts[0].startswith("Uncaught (in promise) Error: boom")
    assert [e.kind for e in result.errors] == ["rejection"]
    assert result.status == 1


def test_rejection_after_await_is_reported(run_page) -> None:
    script = 'async function main() { await null; throw new Error("late boom"); }\nmain();'
    result, _ = run_page(_page(script))
    assert any(t.startswith("Uncaught (in promise) Error: late boom") for t in errors(result))
    assert result.status == 1


def test_handled_with_catch_passes(run_page) -> None:
    script = """async function main() { throw new Error("boom"); }
    main().catch((e) => console.log("caught", e.message));"""
    result, _ = run_page(_page(script))
    assert logs(result) == ["caught boom"]
    assert errors(result) == [] and result.status == 0


def test_awaited_in_try_catch_passes(run_page) -> None:
    script = """async function inner() { await null; throw new Error("boom"); }
    async function outer() {
      try { await inner(); } catch (e) { console.log("caught", e.message); }
    }
    outer();"""
    result, _ = run_page(_page(script))
    assert logs(result) == ["caught boom"]
    assert errors(result) == [] and result.status == 0


def test_handler_attached_in_a_later_microtask_counts(run_page) -> None:
    script = """async function main() { throw new Error("boom"); }
    const p = main();
    Promise.resolve().then(() => p.catch(() => console.log("caught")));"""
    result, _ = run_page(_page(script))
    assert logs(result) == ["caught"]
    assert result.status == 0


def test_async_arrow_and_method(run_page) -> None:
    script = """const arrow = async () => { throw new Error("arrow"); };
    class C { async m() { throw new Error("method " + (this instanceof C)); } }
    const o = { async m() { throw new Error("object method"); } };
    arrow(); new C().m(); o.m();"""
    result, _ = run_page(_page(script))
    texts = errors(result)
    for message in ("arrow", "method true", "object method"):
        assert any(t.startswith(f"Uncaught (in promise) Error: {message}") for t in texts)
    assert len(texts) == 3 and result.status == 1


def test_module_script(run_page) -> None:
    script = 'async function main() { throw new Error("module boom"); }\nmain();'
    result, _ = run_page(_page(script, "module"))
    assert any(t.startswith("Uncaught (in promise) Error: module boom") for t in errors(result))
    assert result.status == 1


def test_async_functions_keep_their_semantics(run_page) -> None:
    script = """console.log(hoisted.name, hoisted.length);
    async function hoisted(a, b) { return [this === globalThis, arguments.length, a + b]; }
    hoisted(1, 2, 3).then((v) => console.log(JSON.stringify(v)));
    try { new hoisted(); } catch (e) { console.log(e.constructor.name, e.message); }
    const f = async function named(x) { "use strict"; return this; };
    console.log(f.name, f.length);
    f(1).then((v) => console.log("strict this", v));
    class B { hi() { return "hi"; } }
    class D extends B {
      async hi() { return super.hi() + "!"; }
      static async s() { return this.name; }
    }
    new D().hi().then(console.log); D.s().then(console.log);
    async function* gen() { yield 1; }
    console.log(Object.prototype.toString.call(gen()));
    const nested = async (x) => async () => x * 2;
    nested(21).then((g) => g()).then(console.log);"""
    result, _ = run_page(_page(script))
    assert logs(result) == [
        "hoisted 2",
        "TypeError hoisted is not a constructor",
        "named 1",
        "[object AsyncGenerator]",
        "[true,3,3]",
        "strict this undefined",
        "hi!",
        "D",
        "42",
    ]
    assert result.status == 0


def test_rewrite_keeps_lines_and_skips_generators() -> None:
    source = (
        "async function f() {\n  await 1;\n}\nasync function* g() {}\nconst h = async x => x;\n"
    )
    out = rewrite_classic_script(source, "http://localhost/")
    assert out.count("\n") == source.count("\n")
    assert "async function* g() {}" in out
    assert "__jsapiTrack" in out.splitlines()[0] and "__jsapiTrack" in out.splitlines()[4]
    module = rewrite_module("export async function f() { await 1; }\nexport default async () => 1;")
    assert module.code.count("$__t((async () =>") == 2
    assert module.local_exports == ["f", "default"]


def test_script_with_a_syntax_error_is_left_alone() -> None:
    source = "async function f( {\n"
    assert rewrite_classic_script(source, "http://localhost/") == source
