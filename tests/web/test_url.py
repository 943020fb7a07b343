import pytest

from tests.web.conftest import Page


@pytest.mark.parametrize(
    ("url", "base", "href"),
    [
        ("../a/./b?x=1 2#f g", "http://EX.com:80/p/q/r", "http://ex.com/p/a/b?x=1%202#f%20g"),
        ("//h2/x", "https://h/a", "https://h2/x"),
        ("?y", "http://h/a/b?x", "http://h/a/b?y"),
        ("#z", "http://h/a?x#y", "http://h/a?x#z"),
        ("http:\\\\h\\a\\..\\b", None, "http://h/b"),
        ("HTTP://H:8080/%2e%2E/c/.", None, "http://h:8080/c/"),
        ("https://h:443/", None, "https://h/"),
        ("http://0x7f.1/", None, "http://127.0.0.1/"),
        ("http://[1:0:0:2:0:0:0:3]/", None, "http://[1:0:0:2::3]/"),
        ("http://[::ffff:192.168.0.1]/", None, "http://[::ffff:c0a8:1]/"),
        ("file:///C|/x/../y", None, "file:///C:/y"),
        ("file://localhost/etc", None, "file:///etc"),
        ("x", "file:///a/b", "file:///a/x"),
        ("mailto:Joe@x.com ", None, "mailto:Joe@x.com"),
        ("non-spec:/.//p", None, "non-spec:/.//p"),
        ("blob:http://localhost/abc", None, "blob:http://localhost/abc"),
        ("  \thttp://h/\n ", None, "http://h/"),
        ("http://u:p@h/", None, "http://u:p@h/"),
        ("http://h/\u00e9?\u00e9#\u00e9", None, "http://h/%C3%A9?%C3%A9#%C3%A9"),
        ("sc://H/x y", None, "sc://H/x%20y"),
        ("http://%41.com/", None, "http://a.com/"),
    ],
)
def test_parse(page: Page, url: str, base: str | None, href: str) -> None:
    args = f"{url!r}" if base is None else f"{url!r}, {base!r}"
    assert page.value(f"new URL({args}).href") == href


@pytest.mark.parametrize(
    "bad",
    [
        "nope",
        "http://",
        "http://a b/",
        "http://[::1/",
        "http://1.2.3.256/",
        "http://h:99999/",
        "http://\u00e9.com/",
        "https://@/",
    ],
)
def test_invalid(page: Page, bad: str) -> None:
    assert page.error(f"new URL({bad!r})")[0] == "TypeError"
    assert page.value(f"URL.canParse({bad!r})") is False
    assert page.value(f"URL.parse({bad!r})") is None


def test_components(page: Page) -> None:
    r = page.js(
        """
        const u = new URL('https://user:pw@Example.com:8443/a/b?x=1&y=2#frag');
        return [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname,
                u.search, u.hash, u.origin, u.toJSON(), String(u), u.searchParams.get('y')];
        """
    )
    assert r == [
        "https:", "user", "pw", "example.com:8443", "example.com", "8443", "/a/b",
        "?x=1&y=2", "#frag", "https://example.com:8443", "https://user:pw@example.com:8443/a/b?x=1&y=2#frag",
        "https://user:pw@example.com:8443/a/b?x=1&y=2#frag", "2",
    ]  # fmt: skip
    assert page.value("new URL('javascript:alert(1)').origin") == "null"
    assert page.value("new URL('blob:https://a.com:1/x').origin") == "https://a.com:1"
    assert page.value("URL.parse('x', 'http://h/a/b').href") == "http://h/a/x"


def test_setters(page: Page) -> None:
    r = page.js(
        """
        const u = new URL('https://a.b/c');
        u.protocol = 'http'; u.port = '8080'; u.hash = 'x'; u.pathname = '/%2e/d e';
        u.host = 'q.r:99'; u.username = 'a@b'; u.password = 'p'; u.search = '?k=v w';
        const h1 = u.href;
        u.protocol = 'foo'; u.port = 'abc'; u.hostname = 'Z';
        const h2 = u.href;
        u.port = ''; u.hash = ''; u.search = '';
        const f = new URL('file:///x'); f.username = 'u'; f.port = '1'; f.host = 'srv';
        return [h1, h2, u.href, f.href];
        """
    )
    assert r == [
        "http://a%40b:p@q.r:99/d%20e?k=v%20w#x",
        "http://a%40b:p@z:99/d%20e?k=v%20w#x",
        "http://a%40b:p@z/d%20e",
        "file://srv/x",
    ]
    assert page.error("new URL('http://h/').href = 'bad'")[0] == "TypeError"


def test_search_params_live_binding(page: Page) -> None:
    r = page.js(
        """
        const u = new URL('http://a/?q=1');
        const p = u.searchParams;
        p.append('z', 'a b&'); const h1 = u.href;
        u.search = '?m=2'; const got = p.get('m');
        p.delete('m'); const h2 = u.href;
        u.href = 'http://b/?n=3'; const n = p.get('n');
        return [h1, got, h2, n, p === u.searchParams];
        """
    )
    assert r == ["http://a/?q=1&z=a+b%26", "2", "http://a/", "3", True]


def test_search_params(page: Page) -> None:
    r = page.js(
        """
        const p = new URLSearchParams('?a=1&b=2&a=3&c=%20x+y&d');
        const log = []; p.forEach((v, k) => log.push(k + '=' + v));
        const init = [new URLSearchParams({x: 1, y: 'z w'}).toString(),
                      new URLSearchParams([['k', 'v'], ['k', 'w']]).getAll('k'),
                      new URLSearchParams(new Map([['m', 'n']])).get('m')];
        p.set('a', '9'); p.sort();
        return [log, p.getAll('a'), p.has('b'), p.has('b', '3'), p.size, p.toString(),
            [...p.keys()],
                init, Object.prototype.toString.call(p.entries()), p.get('none')];
        """
    )
    assert r == [
        ["a=1", "b=2", "a=3", "c= x y", "d="], ["9"], True, False, 4,
        "a=9&b=2&c=+x+y&d=", ["a", "b", "c", "d"],
        ["x=1&y=z+w", ["k", "v"][:0] + ["v", "w"], "n"], "[object URLSearchParams Iterator]", None,
    ]  # fmt: skip
    assert page.error("new URLSearchParams([['a']])")[0] == "TypeError"
    assert page.value("new URLSearchParams('a=%zz&b=%C3%A9').toString()") == "a=%25zz&b=%C3%A9"
    assert page.value("[...new URLSearchParams('x=1&y=2')].join('|')") == "x,1|y,2"


def test_interface_shape(page: Page) -> None:
    r = page.js(
        """
        const href = Object.getOwnPropertyDescriptor(URL.prototype, 'href');
        return [URL.length, URL.name, typeof href.get, typeof href.set, href.enumerable,
                Object.getOwnPropertyDescriptor(URL, 'canParse').enumerable, String(new URL('a:b')),
                Object.prototype.toString.call(new URL('a:b')), URLSearchParams.length];
        """
    )
    assert r == [1, "URL", "function", "function", True, True, "a:b", "[object URL]", 0]
    assert page.error("URL('http://h')")[0] == "TypeError"
    assert (
        page.error("Object.getOwnPropertyDescriptor(URL.prototype, 'href').get.call({})")[0]
        == "TypeError"
    )
    assert page.error("new URL()")[0] == "TypeError"
