import os
from pathlib import Path

import pytest

from tests.web.conftest import Page, RejectedError

WASM = b"\0asm\1\0\0\0"


@pytest.fixture
def site(page: Page, tmp_path: Path) -> Page:
    root = page.root
    (root / "m.wasm").write_bytes(WASM)
    (root / "dir").mkdir()
    (root / "dir" / "data.json").write_text('{"a": [1, 2]}')
    (root / "dir" / "index.html").write_text("<p>index</p>")
    (root / "x y.txt").write_text("spaced")
    (root / "noext").write_bytes(b"\x01")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, root / "link-out.txt")
    os.symlink(root / "dir" / "data.json", root / "link-in.json")
    os.symlink(tmp_path, root / "dir-out")
    return page


def test_wasm_and_json(site: Page) -> None:
    r = site.run(
        """
        const w = await fetch('/m.wasm');
        const bytes = new Uint8Array(await w.arrayBuffer());
        const j = await fetch('data.json');  // relative to http://localhost/dir/page.html
        return [w.ok, w.status, w.statusText, w.headers.get('Content-Type'),
            w.headers.get('content-length'),
                Array.from(bytes), w.url, w.type, w.bodyUsed, await j.json(), j.url, j.redirected];
        """
    )
    assert r == [
        True, 200, "OK", "application/wasm", "8", list(WASM), "http://localhost/m.wasm",
            "basic", True,
        {"a": [1, 2]}, "http://localhost/dir/data.json", False,
    ]  # fmt: skip


def test_compiles_with_webassembly(site: Page) -> None:
    r = site.run(
        "const m = await WebAssembly.compileStreaming ? 1 : 1;"
        "const b = await (await fetch('/m.wasm')).arrayBuffer();"
        "return WebAssembly.validate(b);"
    )
    assert r is True


def test_static_server_behaviour(site: Page) -> None:
    r = site.run(
        """
        const out = [];
        for (const u of ['/missing.txt', '/dir/', '/x%20y.txt', '/x y.txt?q=1#f', '/noext',
                         'http://localhost:80/dir/data.json', '/link-in.json', '/dir/../m.wasm']) {
          const res = await fetch(u);
          out.push([res.status, res.ok, res.headers.get('content-type'),
              (await res.text()).length]);
        }
        const head = await fetch('/m.wasm', {method: 'HEAD'});
        const post = await fetch('/m.wasm', {method: 'POST', body: 'x'});
        return [out, head.status, (await head.arrayBuffer()).byteLength, post.status];
        """
    )
    assert r == [
        [
            [404, False, "text/plain", 13],
            [200, True, "text/html", 12],
            [200, True, "text/plain", 6],
            [200, True, "text/plain", 6],
            [200, True, "application/octet-stream", 1],
            [200, True, "application/json", 13],
            [200, True, "application/json", 13],
            [200, True, "application/wasm", 8],
        ],
        200,
        0,
        405,
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/link-out.txt",  # a symlink that resolves outside the root
        "/dir-out/secret.txt",  # a directory symlink out of the root
        "/..%2Fsecret.txt",  # encoded slash turning into a parent segment
        "/dir/..%2F..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/a%00b",
        "/..%5Csecret.txt",
        "http://example.com/m.wasm",  # another host
        "http://localhost:8080/m.wasm",  # another port
        "https://localhost/m.wasm",  # another scheme
        "http://127.0.0.1/m.wasm",
        "ftp://localhost/m.wasm",
        "ws://localhost/m.wasm",
        "file:///etc/passwd",  # file: outside the root
        "file://otherhost/x",
        "about:blank",
        "javascript:1",
        "data:,x%",  # fine (a valid data: URL) - checked separately below
    ][:-1],
)
def test_network_errors(site: Page, url: str) -> None:
    with pytest.raises(RejectedError, match=r"^TypeError: Failed to fetch$"):
        site.run(f"await fetch({url!r}); return 'fetched';")


def test_file_urls_inside_root(site: Page) -> None:
    root = site.root.resolve()
    r = site.run(
        f"""
        const a = await fetch('file://{root}/dir/data.json');
        let missing; try {{ await fetch('file://{root}/nope');
            }} catch (e) {{ missing = e.message; }}
        let out; try {{ await fetch('file://{root}/link-out.txt');
            }} catch (e) {{ out = e.message; }}
        return [a.status, await a.json(), missing, out];
        """
    )
    assert r == [200, {"a": [1, 2]}, "Failed to fetch", "Failed to fetch"]


def test_data_urls(site: Page) -> None:
    r = site.run(
        """
        const out = [];
        for (const u of ['data:,Hello%2C%20World!', 'data:text/plain;base64,SGVsbG8=',
                         'data:TEXT/HTML;Charset=UTF-8,<b>x</b>', 'data:;base64,AAEC',
                             'data:application/wasm;base64,AGFzbQEAAAA=']) {
          const res = await fetch(u);
          out.push([res.headers.get('content-type'),
              Array.from(new Uint8Array(await res.arrayBuffer())).length]);
        }
        let bad; try { await fetch('data:;base64,A'); } catch (e) { bad = e.message; }
        return [out, bad];
        """
    )
    assert r == [
        [
            ["text/plain;charset=US-ASCII", 13],
            ["text/plain", 5],
            ["text/html;charset=UTF-8", 8],
            ["text/plain;charset=US-ASCII", 3],  # ";" left after "base64" is removed too
            ["application/wasm", 8],
        ],
        "Failed to fetch",
    ]


def test_asynchronous_settlement_and_abort(site: Page) -> None:
    r = site.run(
        """
        const order = [];
        const p = fetch('/m.wasm').then(() => order.push('resolved'));
        order.push('sync');
        await p;
        const c = new AbortController();
        const q = fetch('/m.wasm', {signal: c.signal});
        c.abort();
        let reason; try { await q; } catch (e) { reason = e.name; }
        let pre; try { await fetch('/m.wasm',
            {signal: AbortSignal.abort('why')}); } catch (e) { pre = e; }
        return [order, reason, pre];
        """
    )
    assert r == [["sync", "resolved"], "AbortError", "why"]


def test_invalid_input_rejects(site: Page) -> None:
    with pytest.raises(RejectedError, match="TypeError"):
        site.run("await fetch('http://a b/');")
    with pytest.raises(RejectedError, match="TypeError"):
        site.run("await fetch('http://u:p@localhost/m.wasm');")
    with pytest.raises(RejectedError, match="TypeError"):
        site.run("await fetch('/m.wasm', {method: 'GET', body: 'x'});")
    assert site.value("fetch('/m.wasm') instanceof Promise") is True


def test_body_used_and_clone(site: Page) -> None:
    r = site.run(
        """
        const res = await fetch('/dir/data.json');
        const copy = res.clone();
        const t = await res.text();
        let again; try { await res.text(); } catch (e) { again = e.name; }
        let cl; try { res.clone(); } catch (e) { cl = e.name; }
        const blob = await copy.blob();
        let immutable; try { res.headers.set('x', '1'); } catch (e) { immutable = e.name; }
        return [t.length, again, cl, res.bodyUsed, copy.bodyUsed, blob.type, blob.size, immutable];
        """
    )
    assert r == [13, "TypeError", "TypeError", True, True, "application/json", 13, "TypeError"]


def test_absolute_paths_stay_inside_the_root(site: Page) -> None:
    # An absolute file system path in an http URL names a file under the root, never /etc.
    r = site.run(
        """
        const out = [];
        const urls = ['http://localhost//etc/passwd', '/%2Fetc/passwd', 'http://localhost//m.wasm'];
        for (const u of urls) {
          const res = await fetch(u);
          out.push(res.status);
        }
        // A scheme-relative URL names another host: a network error.
        try { await fetch('//etc/passwd'); } catch (e) { out.push(e.message); }
        return out;
        """
    )
    assert r == [404, 404, 200, "Failed to fetch"]
