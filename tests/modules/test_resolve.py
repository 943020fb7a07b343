"""Specifier resolution, import maps and the served root."""

import pytest

from jsapi.modules.loader import served_root
from jsapi.modules.resolve import ImportMap, ResolutionError, parse_url, resolve_specifier

BASE = "http://localhost/app/js/main.js"


@pytest.mark.parametrize(
    ("spec", "url"),
    [
        ("./a.js", "http://localhost/app/js/a.js"),
        ("../a.js", "http://localhost/app/a.js"),
        ("../../../../a.js", "http://localhost/a.js"),
        ("/lib/a.js", "http://localhost/lib/a.js"),
        ("./a.js?v=2#frag", "http://localhost/app/js/a.js?v=2#frag"),
        ("http://localhost/x/./y/../z.js", "http://localhost/x/z.js"),
        ("HTTPS://Example.COM", "https://example.com/"),
        ("data:text/javascript,export default 1", "data:text/javascript,export default 1"),
    ],
)
def test_url_resolution(spec, url):
    assert resolve_specifier(spec, BASE) == url


def test_bare_specifier_without_map_fails_like_browsers():
    with pytest.raises(ResolutionError) as info:
        resolve_specifier("lodash", BASE)
    assert str(info.value) == (
        'Failed to resolve module specifier "lodash". Relative references must start with'
        ' either "/", "./", or "../".'
    )


def test_import_map_imports_scopes_and_prefixes():
    m = ImportMap.parse(
        {
            "imports": {
                "lodash": "/vendor/lodash.js",
                "lib/": "/libs/v1/",
                "lib/special.js": "/special.js",
                "/app/js/replaced.js": "./replacement.js",
                "bad/": "/no-trailing-slash",
                "blocked": None,
            },
            "scopes": {
                "/app/": {"lodash": "/vendor/lodash-old.js"},
                "/app/js/main.js": {"lib/": "/libs/exact/"},
            },
        },
        "http://localhost/index.html",
    )
    assert resolve_specifier("lodash", "http://localhost/other.js", m) == (
        "http://localhost/vendor/lodash.js"
    )
    assert resolve_specifier("lodash", BASE, m) == "http://localhost/vendor/lodash-old.js"
    assert resolve_specifier("lib/x/y.js", BASE, m) == "http://localhost/libs/exact/x/y.js"
    assert resolve_specifier("lib/x.js", "http://localhost/o.js", m) == (
        "http://localhost/libs/v1/x.js"
    )
    assert resolve_specifier("lib/special.js", "http://localhost/o.js", m) == (
        "http://localhost/special.js"
    )
    assert resolve_specifier("./replaced.js", BASE, m) == "http://localhost/replacement.js"
    for blocked in ("blocked", "bad/x.js"):
        with pytest.raises(ResolutionError):
            resolve_specifier(blocked, BASE, m)
    with pytest.raises(ResolutionError, match="backtracks"):
        resolve_specifier("lib/../../escape.js", "http://localhost/o.js", m)


def test_merged_import_maps_keep_first_mapping():
    m = ImportMap.parse({"imports": {"a": "/a1.js"}}, "http://localhost/")
    m.merge(ImportMap.parse({"imports": {"a": "/a2.js", "b": "/b.js"}}, "http://localhost/"))
    assert resolve_specifier("a", BASE, m) == "http://localhost/a1.js"
    assert resolve_specifier("b", BASE, m) == "http://localhost/b.js"


def test_invalid_import_map():
    with pytest.raises(TypeError):
        ImportMap.parse("[]", "http://localhost/")
    with pytest.raises(TypeError):
        ImportMap.parse({"imports": []}, "http://localhost/")


def test_parse_url_without_base():
    assert parse_url("./x.js") is None
    assert parse_url("x.js", "http://localhost/a/b") == "http://localhost/a/x.js"


def test_served_root_containment(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "ok.js").write_text("ok")
    (tmp_path / "secret.js").write_text("secret")
    (tmp_path / "site" / "link.js").symlink_to(tmp_path / "secret.js")
    load = served_root(tmp_path / "site")
    assert load("http://localhost/ok.js") == "ok"
    assert load("http://localhost/%6Fk.js") == "ok"
    assert load("http://localhost/../secret.js") is None
    assert load("http://localhost/%2e%2e/secret.js") is None
    assert load("http://localhost/link.js") is None
    assert load("http://other/ok.js") is None
    assert load("http://localhost/missing.js") is None
    # The same mapping as fetch's: NUL bytes and backslashes never reach the file system.
    assert load("http://localhost/ok.js%00.txt") is None
    assert load("http://localhost/..%5Csecret.js") is None


def test_import_map_in_the_page(page):
    page.write("vendor/lib.js", "export const name = 'vendored';")
    page.write("deps/util/index.js", "export const util = 'util';")
    page.write(
        "main.js",
        "import { name } from 'lib';\nimport { util } from 'deps/util/index.js';"
        "\nexport const out = [name, util, import.meta.resolve('lib')];",
    )
    page.js("""__host.addImportMap('{"imports": {"lib": "/vendor/lib.js", "deps/": "./deps/"}}')""")
    out = page.run("__host.importModule('/main.js').then((ns) => ns.out)")
    assert out == ["vendored", "util", "http://localhost/vendor/lib.js"]
    out = page.run("__host.importModule('/missing-map.js').catch((e) => e.name)")
    assert out == "TypeError"
    page.write("bare.js", "import 'unmapped';")
    out = page.run("__host.importModule('/bare.js')")
    assert out["error"] == "TypeError"
    assert out["message"].startswith('Failed to resolve module specifier "unmapped"')
