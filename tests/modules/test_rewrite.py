"""The source rewrite on its own: records, line stability, syntax errors, speed."""

import pytest

from jsapi.modules.rewrite import (
    ModuleSyntaxError,
    rewrite_cached,
    rewrite_classic_script,
    rewrite_module,
)


def test_records_of_every_form():
    r = rewrite_module(
        """import d, { a as b, "x-y" as c } from "./x.js";
import * as ns from "y";
import "./side.js";
export * from "w";
export * as n2 from "z";
export { a as a2, default as d2 } from "./x.js";
export { b as reexported, ns };
export const [k, { m }] = [1, { m: 2 }];
export default function () {}
"""
    )
    assert r.requests == ["./x.js", "y", "./side.js", "w", "z"]
    assert r.imports == [(0, "default"), (0, "a"), (0, "x-y"), (1, "*")]
    assert r.star_exports == [3]
    assert sorted(r.local_exports) == ["default", "k", "m", "ns"]
    assert sorted(r.indirect_exports) == [
        ("a2", 0, "a"),
        ("d2", 0, "default"),
        ("n2", 4, "*"),
        ("reexported", 0, "a"),
    ]
    assert r.params == [("i", 0), ("n", 1)]
    assert not r.has_tla


def test_line_numbers_are_kept():
    src = 'import {\n  a,\n  b\n} from "./x.js";\nexport {\n  a as c\n};\nconsole.log(a, b);\n'
    out = rewrite_module(src).code
    lines = out.split("\n")
    assert len(lines) == src.count("\n") + 2
    assert lines[7] == "console.log($__i0.a, $__i0.b);"
    assert lines[0].startswith('(function* ($__h, $__i0) { "use strict";')


def test_references_and_shadowing():
    out = rewrite_module(
        """import { f } from "./f.js";
f(); new f(); f`t`; f.call(); ({ f }); typeof f;
function g(f) { return f; }
const h = (x = f) => { var f = 1; return [x, f]; };
{ let f; f = 1; }
label: for (const f of []) { break label; }
o.f; o = { f: 1 }; class C { f() {} }
"""
    ).code.split("\n")
    assert lines_equal(
        lines_of=out[1],
        want=(
            "(0, $__i0.f)(); new $__i0.f(); (0, $__i0.f)`t`; $__i0.f.call(); ({ f: $__i0.f });"
            " typeof $__i0.f;"
        ),
    )
    assert out[2] == "function g(f) { return f; }"
    assert out[3] == "const h = (x = $__i0.f) => { var f = 1; return [x, f]; };"
    assert out[4] == "{ let f; f = 1; }"
    assert out[5] == "label: for (const f of []) { break label; }"
    assert out[6] == "o.f; o = { f: 1 }; class C { f() {} }"


def lines_equal(lines_of: str, want: str) -> bool:
    assert lines_of == want
    return True


def test_top_level_await_detection():
    assert rewrite_module("await 1;").has_tla
    assert rewrite_module("for await (const x of []) {}").has_tla
    assert rewrite_module("if (a) { await b; }").has_tla
    assert not rewrite_module("async function f() { await 1; }").has_tla
    assert not rewrite_module("const f = async () => { for await (const x of y) {} };").has_tla
    assert rewrite_module("await 1;").code.startswith("(async function* ")


def test_import_meta_and_dynamic_import():
    out = rewrite_module("const u = import.meta.url; import('./x.js').then(f);").code
    assert "$__h.meta.url" in out and "$__h.import('./x.js')" in out


@pytest.mark.parametrize(
    ("source", "message", "line", "column"),
    [
        ("let a = 1;\nlet b = (;\n", "Unexpected token", 2, None),
        ("export const a = 1;\nexport { a };\n", "Duplicate export of 'a'", 2, 10),
        ("const x = 1;\nreturn x;\n", "Illegal return statement", 2, 1),
        ("function f() {\n", None, None, None),
    ],
)
def test_syntax_errors(source, message, line, column):
    with pytest.raises(ModuleSyntaxError) as info:
        rewrite_module(source)
    e = info.value
    if message is not None:
        assert e.message.startswith(message)
    if line is not None:
        assert e.line == line
    if column is not None:
        assert e.column == column


def test_cache_by_content():
    src = "export const cached = 1;"
    assert rewrite_cached(src) is rewrite_cached(src)


def test_classic_script_dynamic_import():
    out = rewrite_classic_script("x = import('./a.js'); y = 'import(';", "http://localhost/p/")
    assert out == (
        "x = __host.importFrom.bind(undefined, \"http://localhost/p/\")('./a.js'); y = 'import(';"
    )
    assert rewrite_classic_script("no imports here", "http://localhost/") == "no imports here"


def _bundle(size: int) -> str:
    parts = ['import { helper, util as u } from "./h.js";\nimport * as ns from "./n.js";\n']
    i = 0
    total = len(parts[0])
    while total < size:
        part = f"""
export function fn{i}(a, b) {{
  const local{i} = {{ a, b, key: "value {i}" }};
  for (let j = 0; j < a; j++) {{ local{i}.b += helper(j) * u.scale + ns.k; }}
  class C{i} extends Object {{ m(helper) {{ return helper + this.x; }} }}
  return `${{local{i}.key}} ${{b}}`;
}}
"""
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def test_one_megabyte_bundle_keeps_lines_and_rewrites_imports():
    # Its speed (~0.5 s on a quiet 2-core machine) is recorded in docs/modules.md, not asserted.
    src = _bundle(1_000_000)
    out = rewrite_module(src)
    assert out.code.count("\n") == src.count("\n") + 1
    assert "m(helper) { return helper + this.x; }" in out.code
    assert "(0, $__i0.helper)(j) * $__i0.util.scale + $__n1.k" in out.code
