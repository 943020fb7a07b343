"""Every import and export form, live bindings and namespace objects, run in V8."""


def test_live_binding_counter(page):
    page.write("counter.js", "export let count = 0;\nexport function inc() { count++; }\n")
    page.write(
        "main.js",
        """
        import { count, inc as bump } from "./counter.js";
        export const seen = [count];
        bump(); bump();
        seen.push(count);
        export function now() { return count; }
        """,
    )
    assert page.run("__host.importModule('/main.js').then(ns => ns.seen)") == [0, 2]
    assert page.run("__host.importModule('/main.js').then(ns => (ns.now(), ns.now()))") == 2
    assert (
        page.run("__host.importModule('/counter.js').then(c => { c.inc(); return c.count; })") == 3
    )


def test_import_forms(page):
    page.write(
        "lib.js",
        """
        export default function () { return "dflt"; }
        export const a = 1, b = 2;
        export var [c, { d }] = [3, { d: 4 }];
        export class K { static tag() { return "K"; } }
        const e = 5;
        export { e as "str name", e as f };
        export async function* gen() {}
        """,
    )
    page.write(
        "main.js",
        """
        import dflt, { a, b as bee, "str name" as sn } from "./lib.js";
        import * as all from "./lib.js";
        import lib2, * as all2 from "./lib.js";
        import { c, d, K, f } from "./lib.js";
        import "./side.js";
        export const out = {
          dflt: dflt(), dfltName: dflt.name, a, bee, sn, c, d, k: K.tag(), f,
          same: all === all2, lib2: lib2 === dflt, sideRan: globalThis.sideRan,
          keys: Object.keys(all),
        };
        """,
    )
    page.write("side.js", "globalThis.sideRan = true;")
    out = page.run("__host.importModule('/main.js').then(ns => ns.out)")
    assert out == {
        "dflt": "dflt",
        "dfltName": "default",
        "a": 1,
        "bee": 2,
        "sn": 5,
        "c": 3,
        "d": 4,
        "k": "K",
        "f": 5,
        "same": True,
        "lib2": True,
        "sideRan": True,
        "keys": ["K", "a", "b", "c", "d", "default", "f", "gen", "str name"],
    }


def test_export_default_forms(page):
    page.write("expr.js", "export default 40 + 2;")
    page.write("arrow.js", "export default () => 'arrow'")
    page.write("klass.js", "export default class { hi() { return 'hi'; } }")
    page.write("named.js", "export default function named() { return 'n'; }")
    page.write("gen.js", "export default function* () { yield 7; }")
    page.write("clause.js", "const v = 'v'; export { v as default };")
    page.write(
        "main.js",
        """
        import e from "./expr.js"; import ar from "./arrow.js"; import K from "./klass.js";
        import n from "./named.js"; import g from "./gen.js"; import v from "./clause.js";
        export const out = [e, ar(), ar.name, new K().hi(), K.name, n(), n.name,
                            g().next().value, g.name, v];
        """,
    )
    out = page.run("__host.importModule('/main.js').then(ns => ns.out)")
    assert out == [42, "arrow", "default", "hi", "default", "n", "named", 7, "default", "v"]


def test_reexport_forms(page):
    page.write(
        "base.js",
        "export let x = 1; export const y = 2; export default 'base';\n"
        "export function setX(v) { x = v; }",
    )
    page.write(
        "mid.js",
        """
        export * from "./base.js";
        export * as baseNS from "./base.js";
        export { y as why, default as baseDefault } from "./base.js";
        import { x as imported } from "./base.js";
        export { imported as again };
        import * as nsLocal from "./base.js";
        export { nsLocal };
        """,
    )
    page.write(
        "main.js",
        """
        import * as mid from "./mid.js";
        import { x, baseNS, why, baseDefault, again, nsLocal, setX } from "./mid.js";
        const before = [x, again, baseNS.x];
        setX(9);
        export const out = { before, after: [x, again, baseNS.x, mid.x], why, baseDefault,
                             sameNS: baseNS === nsLocal, hasDefault: "default" in mid,
                             keys: Object.keys(mid) };
        """,
    )
    out = page.run("__host.importModule('/main.js').then(ns => ns.out)")
    assert out == {
        "before": [1, 1, 1],
        "after": [9, 9, 9, 9],
        "why": 2,
        "baseDefault": "base",
        "sameNS": True,
        "hasDefault": False,
        "keys": ["again", "baseDefault", "baseNS", "nsLocal", "setX", "why", "x", "y"],
    }


def test_namespace_object(page):
    page.write("m.js", "export let b = 1; export const a = 2; export function bump() { b++; }")
    out = page.run(
        """__host.importModule('/m.js').then(ns => {
          'use strict';
          const r = {};
          r.proto = Object.getPrototypeOf(ns) === null;
          r.tag = ns[Symbol.toStringTag];
          r.str = Object.prototype.toString.call(ns);
          r.sealed = Object.isSealed(ns);
          r.frozen = Object.isFrozen(ns);
          r.extensible = Object.isExtensible(ns);
          r.keys = Reflect.ownKeys(ns).map(String);
          const d = Object.getOwnPropertyDescriptor(ns, 'b');
          r.desc = [d.value, d.writable, d.enumerable, d.configurable];
          ns.bump();
          r.live = Object.getOwnPropertyDescriptor(ns, 'b').value;
          try { ns.a = 5; r.set = 'no error'; } catch (e) { r.set = e.name; }
          try { ns.z = 5; r.add = 'no error'; } catch (e) { r.add = e.name; }
          try { delete ns.a; r.del = 'no error'; } catch (e) { r.del = e.name; }
          r.delMissing = delete ns.nothing;
          r.inA = 'a' in ns; r.inZ = 'z' in ns;
          r.defineSame = Reflect.defineProperty(ns, 'a', { value: 2 });
          r.defineOther = Reflect.defineProperty(ns, 'a', { value: 3 });
          r.setProtoNull = Reflect.setPrototypeOf(ns, null);
          r.setProtoObj = Reflect.setPrototypeOf(ns, {});
          r.missing = ns.nothing === undefined;
          return r;
        })"""
    )
    assert out == {
        "proto": True,
        "tag": "Module",
        "str": "[object Module]",
        "sealed": True,
        "frozen": False,
        "extensible": False,
        "keys": ["a", "b", "bump", "Symbol(Symbol.toStringTag)"],
        "desc": [1, True, True, False],
        "live": 2,
        "set": "TypeError",
        "add": "TypeError",
        "del": "TypeError",
        "delMissing": True,
        "inA": True,
        "inZ": False,
        "defineSame": True,
        "defineOther": False,
        "setProtoNull": True,
        "setProtoObj": False,
        "missing": True,
    }


def test_imports_are_read_only_and_calls_have_undefined_this(page):
    page.write("lib.js", "export let v = 1; export function who() { return this; }")
    page.write(
        "main.js",
        """
        import { v, who } from "./lib.js";
        export let err;
        try { v = 2; } catch (e) { err = e.name; }
        export const thisIsUndefined = who() === undefined && who`x` === undefined;
        export const topThis = this === undefined;
        export const strict = (function () { return this === undefined; })();
        """,
    )
    out = page.run(
        "__host.importModule('/main.js').then(ns => [ns.err, ns.thisIsUndefined,"
        " ns.topThis, ns.strict])"
    )
    assert out == ["TypeError", True, True, True]


def test_shadowing_respected(page):
    page.write("lib.js", "export const x = 'imported';")
    page.write(
        "main.js",
        """
        import { x } from "./lib.js";
        function param(x) { return x; }
        const arrow = x => x;
        function inner() { var x = 'var'; return x; }
        function block() { { let x = 'block'; } return x; }
        function destr({ x }) { return x; }
        function dflt(a = x) { var x = 'body'; return a; }
        let caught; try { throw 'caught'; } catch (x) { caught = x; }
        const loop = []; for (const x of ['loop']) loop.push(x);
        const obj = { x };
        const klass = class x { static n() { return x.name; } };
        export const out = [param('p'), arrow('a'), inner(), block(), destr({ x: 'd' }), dflt(),
                            caught, loop[0], obj.x, klass.n(), x];
        """,
    )
    out = page.run("__host.importModule('/main.js').then(ns => ns.out)")
    assert out == [
        "p",
        "a",
        "var",
        "imported",
        "d",
        "imported",
        "caught",
        "loop",
        "imported",
        "x",
        "imported",
    ]


def test_import_meta(page):
    page.write(
        "dir/m.js",
        """
        export const url = import.meta.url;
        export const same = import.meta === import.meta;
        export const proto = Object.getPrototypeOf(import.meta);
        export const resolved = import.meta.resolve("../other.js");
        """,
    )
    out = page.run(
        "__host.importModule('/dir/m.js').then(ns => [ns.url, ns.same, ns.proto, ns.resolved])"
    )
    assert out == ["http://localhost/dir/m.js", True, None, "http://localhost/other.js"]


def test_module_evaluated_once_and_map_keyed_by_url(page):
    page.write("once.js", "globalThis.runs = (globalThis.runs || 0) + 1; export const n = 1;")
    page.write("a.js", "import './once.js'; import '../once.js';")
    page.write("sub/b.js", "import '../once.js'; import '/once.js';")
    assert (
        page.run(
            "__host.importModule('/a.js').then(() => __host.importModule('/sub/b.js'))"
            ".then(() => globalThis.runs)"
        )
        == 1
    )
    assert page.loader.fetch_count == 3
    assert "http://localhost/once.js" in page.js("__host.moduleMapKeys().join(' ')")
