"""Module graphs: evaluation order, cycles, top-level await, dynamic import, errors."""


def log_module(page, name, body="", deps=()):
    imports = "".join(f'import "./{d}.js";\n' for d in deps)
    page.write(f"{name}.js", f'{imports}(globalThis.log ||= []).push("{name}");\n{body}\n')


def test_post_order_evaluation(page):
    log_module(page, "c")
    log_module(page, "b", deps=["c"])
    log_module(page, "d", deps=["c"])
    log_module(page, "a", deps=["b", "d"])
    assert page.run("__host.importModule('/a.js').then(() => log)") == ["c", "b", "d", "a"]


def test_cycle_with_hoisted_functions_and_tdz(page):
    page.write(
        "even.js",
        """
        import { odd } from "./odd.js";
        export function even(n) { return n === 0 ? true : odd(n - 1); }
        export const fromEven = "E";
        """,
    )
    page.write(
        "odd.js",
        """
        import { even, fromEven } from "./even.js";
        export function odd(n) { return n === 0 ? false : even(n - 1); }
        export const early = even(4);
        export let tdz;
        try { fromEven; tdz = "no error"; } catch (e) { tdz = e.name + ": " + e.message; }
        """,
    )
    out = page.run(
        "__host.importModule('/even.js').then(async (e) => { const o = await "
        "__host.importModule('/odd.js'); return [e.even(10), o.odd(7), o.early, o.tdz]; })"
    )
    assert out == [
        True,
        True,
        True,
        "ReferenceError: Cannot access 'fromEven' before initialization",
    ]


def test_cycle_order(page):
    log_module(page, "x", deps=["y"])
    log_module(page, "y", deps=["x"])
    log_module(page, "root", deps=["x"])
    assert page.run("__host.importModule('/root.js').then(() => log)") == ["y", "x", "root"]


def test_top_level_await_order(page):
    page.write(
        "wait.js",
        """
        (globalThis.log ||= []).push("wait start");
        await new Promise((r) => setTimeout(r, 20));
        log.push("wait end");
        export const value = "waited";
    """,
    )
    page.write("sync.js", 'globalThis.log ||= []; log.push("sync");')
    page.write(
        "user.js",
        """
        import { value } from "./wait.js";
        import "./sync.js";
        log.push("user sees " + value);
    """,
    )
    page.write("other.js", 'import "./sync.js"; log.push("other");')
    page.write("main.js", 'import "./user.js"; import "./other.js"; log.push("main");')
    assert page.run("__host.importModule('/main.js').then(() => log)") == [
        "wait start",
        "sync",
        "other",
        "wait end",
        "user sees waited",
        "main",
    ]


def test_tla_in_cycle_and_shared_async_dependency(page):
    page.write("slow.js", "await 0; export const s = 1; (globalThis.log ||= []).push('slow');")
    page.write("p.js", "import { s } from './slow.js'; import './q.js'; log.push('p' + s);")
    page.write("q.js", "import './p.js'; import { s } from './slow.js'; log.push('q' + s);")
    page.write("top.js", "import './p.js'; import './q.js'; log.push('top');")
    assert page.run("__host.importModule('/top.js').then(() => log)") == ["slow", "q1", "p1", "top"]


def test_await_in_function_is_not_top_level(page):
    page.write("f.js", "export async function f() { await 0; return 1; }\nexport const t = 2;")
    page.write("g.js", "import { t } from './f.js'; globalThis.syncSeen = t;")
    # A module without top-level await evaluates synchronously within the import job.
    assert page.run("__host.importModule('/g.js').then(() => globalThis.syncSeen)") == 2


def test_dynamic_import_from_module_and_classic_script(page):
    page.write("dyn/target.js", "export const v = 'dynamic'; export default 3;")
    page.write(
        "dyn/user.js",
        """
        export const p = import("./target.js").then((ns) => ns.v);
        export const q = import("./" + "target.js").then((ns) => ns.default);
        """,
    )
    out = page.run(
        "__host.importModule('/dyn/user.js').then(async (ns) => [await ns.p, await ns.q])"
    )
    assert out == ["dynamic", 3]
    from jsapi.modules.rewrite import rewrite_classic_script

    classic = rewrite_classic_script(
        "globalThis.classicP = import('./dyn/target.js');", "http://localhost/index.html"
    )
    page.js(classic)
    assert page.run("classicP.then((ns) => ns.v)") == "dynamic"
    assert page.run("__host.import('/dyn/target.js').then((ns) => ns.default)") == 3


def test_dynamic_import_is_asynchronous_and_rejects(page):
    page.write("d.js", "globalThis.dRan = true;")
    page.write(
        "m.js",
        """
        const p = import("./d.js");
        export const ranSync = globalThis.dRan === true;
        export const missing = import("./missing.js")
          .then(() => "ok", (e) => e.name + ": " + e.message);
        export const bare = import("bare").then(() => "ok", (e) => e.name);
        await p;
        """,
    )
    out = page.run(
        "__host.importModule('/m.js').then(async (ns) => [ns.ranSync,"
        " await ns.missing, await ns.bare])"
    )
    assert out == [
        False,
        "TypeError: Failed to fetch dynamically imported module: http://localhost/missing.js",
        "TypeError",
    ]


def test_syntax_error_reports_url_and_line(page):
    page.write("bad.js", "const ok = 1;\n\nlet x = ;\n")
    page.write("imports-bad.js", "import './bad.js'; globalThis.importerRan = true;")
    out = page.run("__host.importModule('/imports-bad.js')")
    assert out["error"] == "SyntaxError"
    assert out["message"].startswith("Unexpected token")
    assert out["message"].endswith("(at http://localhost/bad.js:3:7)")
    assert page.js("globalThis.importerRan === undefined") is True
    assert page.js("1") == 1
    props = page.run(
        "__host.importModule('/bad.js').catch((e) => [e.fileName, e.lineNumber, e.columnNumber])"
    )
    assert props == ["http://localhost/bad.js", 3, 7]


def test_missing_and_ambiguous_exports_fail_at_link_time(page):
    page.write("lib.js", "export const a = 1;")
    page.write("user.js", "globalThis.userRan = true;\nimport { b } from './lib.js';")
    out = page.run("__host.importModule('/user.js')")
    assert (out["error"], out["message"]) == (
        "SyntaxError",
        "The requested module './lib.js' does not provide an export named 'b'",
    )
    assert page.js("globalThis.userRan === undefined") is True
    page.write("s1.js", "export const dup = 1;")
    page.write("s2.js", "export const dup = 2;")
    page.write("stars.js", "export * from './s1.js'; export * from './s2.js';")
    page.write("amb.js", "import { dup } from './stars.js';")
    page.write("amb-ns.js", "import * as ns from './stars.js'; export const has = 'dup' in ns;")
    out = page.run("__host.importModule('/amb.js')")
    assert out["message"] == (
        "The requested module './stars.js' contains conflicting star exports for name 'dup'"
    )
    assert page.run("__host.importModule('/amb-ns.js').then((ns) => ns.has)") is False
    page.write("reexp.js", "export { nope } from './lib.js';")
    out = page.run("__host.importModule('/reexp.js')")
    assert out["message"] == (
        "The requested module './lib.js' does not provide an export named 'nope'"
    )


def test_evaluation_error_is_cached_for_every_importer(page):
    page.write(
        "boom.js",
        "globalThis.boomRuns = (globalThis.boomRuns || 0) + 1;\n"
        "throw new RangeError('boom');\nexport const never = 1;",
    )
    page.write("i1.js", "import './boom.js';")
    page.write("i2.js", "import './boom.js';")
    out = page.run(
        """Promise.allSettled([__host.importModule('/i1.js'), __host.importModule('/i2.js'),
             __host.importModule('/boom.js')]).then(async (rs) => {
           const again = await __host.importModule('/i1.js').catch((e) => e);
           return [rs.map((r) => r.reason.message), rs[0].reason === rs[1].reason,
                   again === rs[0].reason, globalThis.boomRuns];
         })"""
    )
    assert out == [["boom", "boom", "boom"], True, True, 1]


def test_stack_trace_line_numbers(page):
    page.write("lib.js", "export function fail() {\n  throw new Error('here');\n}\n")
    page.write(
        "thrower.js",
        "import { fail } from './lib.js';\n"
        "import * as ns from './lib.js';\n"
        "\n"
        "export function run() {\n"
        "  fail();\n"
        "}\n"
        "export function line() { return new Error().stack; }\n",
    )
    stack = page.run(
        "__host.importModule('/thrower.js').then((ns) => { try { ns.run(); }"
        " catch (e) { return e.stack; } })"
    )
    assert "http://localhost/lib.js:2:" in stack
    assert "http://localhost/thrower.js:5:" in stack
    stack = page.run("__host.importModule('/thrower.js').then((ns) => ns.line())")
    assert "http://localhost/thrower.js:7:" in stack


def test_inline_module_script(page):
    page.write("lib/util.js", "export const twice = (x) => 2 * x;")
    out = page.run(
        "__host.runModuleScript(\"import { twice } from './lib/util.js';\\n"
        "globalThis.inline = [twice(21), import.meta.url];\", 'http://localhost/index.html')"
        ".then(() => globalThis.inline)"
    )
    assert out == [42, "http://localhost/index.html"]
    page.write("ext.js", "globalThis.ext = 'external';")
    assert page.run("__host.runModuleScript('/ext.js').then(() => globalThis.ext)") == "external"


def test_fetch_failure_of_static_dependency(page):
    page.write("needs.js", "import './gone.js';")
    out = page.run("__host.importModule('/needs.js')")
    assert (out["error"], out["message"]) == (
        "TypeError",
        "Failed to fetch module: http://localhost/gone.js",
    )


def test_syntax_error_found_by_v8(page):
    page.write("redeclare.js", "let x = 1;\nlet x = 2;\n")
    out = page.run("__host.importModule('/redeclare.js')")
    assert (out["error"], out["message"]) == (
        "SyntaxError",
        "Identifier 'x' has already been declared (at http://localhost/redeclare.js)",
    )
