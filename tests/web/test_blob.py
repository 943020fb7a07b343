from tests.web.conftest import Page


def test_parts_type_size(page: Page) -> None:
    r = page.run(
        """
        const inner = new Blob(['xy']);
        const b = new Blob(['h\\u00e9', new Uint8Array([33]), new Uint16Array([0x4241]).buffer,
            inner],
                           {type: 'Text/Plain;Charset=UTF-8'});
        return [b.size, b.type, await b.text(), Array.from(await b.bytes()),
                (await b.arrayBuffer()).byteLength, new Blob([], {type: 'a\\u00e9'}).type,
                new Blob().size, String(b), new Blob([1, null]).size];
        """
    )
    assert r == [
        8, "text/plain;charset=utf-8", "h\u00e9!ABxy", [104, 195, 169, 33, 65, 66, 120, 121],
        8, "", 0, "[object Blob]", 5,
    ]  # fmt: skip


def test_slice(page: Page) -> None:
    r = page.run(
        """
        const b = new Blob(['0123456789']);
        return [await b.slice(2, 5).text(), await b.slice(-3).text(), await b.slice(5, 2).text(),
                await b.slice(-100, 100).text(), b.slice(0, 1, 'X/Y').type, b.slice().size];
        """
    )
    assert r == ["234", "789", "", "0123456789", "x/y", 10]


def test_endings_and_copy_semantics(page: Page) -> None:
    r = page.run(
        """
        const src = new Uint8Array([1, 2]); const b = new Blob([src]); src[0] = 9;
        const n = new Blob(['a\\r\\nb\\rc'], {endings: 'native'});
        return [(await b.bytes())[0], await n.text()];
        """
    )
    assert r == [1, "a\nb\nc"]
    assert page.error("new Blob('abc')")[0] == "TypeError"
    assert page.error("new Blob([], {endings: 'bad'})")[0] == "TypeError"
    assert page.error("Blob.prototype.slice.call({})")[0] == "TypeError"


def test_file(page: Page) -> None:
    r = page.run(
        """
        const f = new File(['abc'], 'a.txt', {type: 'text/plain', lastModified: 42});
        return [f.name, f.lastModified, f.size, f.type, f instanceof Blob, await f.text(),
            String(f)];
        """
    )
    assert r == ["a.txt", 42, 3, "text/plain", True, "abc", "[object File]"]
    assert page.error("new File(['a'])")[0] == "TypeError"


def test_object_urls(page: Page) -> None:
    r = page.run(
        """
        const b = new Blob(['payload'], {type: 'text/x-test'});
        const url = URL.createObjectURL(b);
        const res = await fetch(url + '#frag');
        const text = await res.text();
        URL.revokeObjectURL(url);
        let after; try { await fetch(url); after = 'ok'; } catch (e) { after = e.message; }
        return [url.startsWith('blob:http://localhost/'), res.status,
            res.headers.get('content-type'),
                text, after, new URL(url).origin];
        """
    )
    assert r == [True, 200, "text/x-test", "payload", "Failed to fetch", "http://localhost"]
    assert page.error("URL.createObjectURL('x')")[0] == "TypeError"
