import pytest

from tests.web.conftest import Page


def test_encoder_basics(page: Page) -> None:
    assert page.value("new TextEncoder().encoding") == "utf-8"
    assert page.value("Array.from(new TextEncoder().encode('h\\u00e9\\u20ac\\u{1F600}'))") == [
        0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80,
    ]  # fmt: skip
    # Lone surrogates become U+FFFD (USVString conversion).
    assert page.value("Array.from(new TextEncoder().encode('a\\ud800b'))") == [
        97,
        0xEF,
        0xBF,
        0xBD,
        98,
    ]
    assert page.value("new TextEncoder().encode().length") == 0
    assert page.value("new TextEncoder().encode(undefined).length") == 0
    assert page.value("new TextEncoder().encode(null).length") == 4


def test_encode_into_stops_at_whole_characters(page: Page) -> None:
    r = page.value("new TextEncoder().encodeInto('a\\u00e9\\u{1F600}', new Uint8Array(4))")
    assert r == {"read": 2, "written": 3}
    r = page.value("new TextEncoder().encodeInto('a\\u00e9\\u{1F600}', new Uint8Array(7))")
    assert r == {"read": 4, "written": 7}
    assert page.error("new TextEncoder().encodeInto('a', new Uint16Array(2))")[0] == "TypeError"


def test_decoder_replacement_characters(page: Page) -> None:
    # Encoding 4.1: maximal subparts each become one U+FFFD.
    cases = {
        "[0xff]": "\ufffd",
        "[0xc3]": "\ufffd",
        "[0xe2, 0x82]": "\ufffd",
        "[0xe2, 0x82, 0x41]": "\ufffdA",
        "[0xf0, 0x80, 0x80, 0x80]": "\ufffd" * 4,
        "[0xed, 0xa0, 0x80]": "\ufffd" * 3,
        "[0xf4, 0x90, 0x80, 0x80]": "\ufffd" * 4,
        "[0xc0, 0xaf]": "\ufffd\ufffd",
        "[0x61, 0xf0, 0x9f, 0x98, 0x80]": "a\U0001f600",
    }
    for arr, expected in cases.items():
        assert page.value(f"new TextDecoder().decode(new Uint8Array({arr}))") == expected, arr


def test_decoder_bom_and_options(page: Page) -> None:
    assert page.value("new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))") == "A"
    assert (
        page.value(
            "new TextDecoder('utf-8', {ignoreBOM: true}).decode(new"
            " Uint8Array([0xef,0xbb,0xbf,0x41]))"
        )
        == "\ufeffA"
    )
    d = page.value(
        "(() => { const d = new TextDecoder(' UTF8 ', {fatal: 1}); return [d.encoding,"
        " d.fatal, d.ignoreBOM]; })()"
    )
    assert d == ["utf-8", True, False]
    err = page.error("new TextDecoder('utf-8', {fatal: true}).decode(new Uint8Array([0xff]))")
    assert err[0] == "TypeError"
    assert page.error("new TextDecoder('latin2')")[0] == "RangeError"
    assert page.error("new TextDecoder().decode(42)")[0] == "TypeError"


def test_decoder_streaming(page: Page) -> None:
    out = page.js(
        """
        const d = new TextDecoder();
        const bytes = [0xef, 0xbb, 0xbf, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9];
        let s = '';
        for (const b of bytes) s += d.decode(new Uint8Array([b]), {stream: true});
        s += d.decode();
        const tail = d.decode(new Uint8Array([0xe2, 0x82]), {stream: true}) + '|' + d.decode();
        return [s, tail];
        """
    )
    assert out == ["\U0001f600\u00e9", "|\ufffd"]


def test_utf16(page: Page) -> None:
    assert page.value("new TextDecoder('utf-16').encoding") == "utf-16le"
    assert (
        page.value(
            "new TextDecoder('utf-16le').decode(new"
            " Uint8Array([0xff,0xfe,0x41,0,0x3d,0xd8,0,0xde]))"
        )
        == "A\U0001f600"
    )
    assert (
        page.value("new TextDecoder('utf-16be').decode(new Uint8Array([0,0x41,0xd8]))") == "A\ufffd"
    )
    assert (
        page.value("new TextDecoder('utf-16le').decode(new Uint8Array([0x00,0xdc,0x41,0]))")
        == "\ufffdA"
    )
    assert page.value("new TextDecoder('utf-16le').decode(new Uint16Array([0x41, 0x42]))") == "AB"


def test_ascii_fast_path_large(page: Page) -> None:
    n = page.value(
        "new TextDecoder().decode(new TextEncoder().encode('x'.repeat(100000) + '\\u00e9')).length"
    )
    assert n == 100001


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("atob('aGVsbG8=')", "hello"),
        ("atob(' aGVs bG8 ')", "hello"),
        ("atob('aGVsbG8')", "hello"),
        ("atob('')", ""),
        ("btoa('hello')", "aGVsbG8="),
        ("btoa('\\xff\\x00')", "/wA="),
        ("btoa(null)", "bnVsbA=="),
        ("atob(btoa('\\x00\\x01\\xfe'))", "\x00\x01\xfe"),
    ],
)
def test_base64(page: Page, expr: str, expected: str) -> None:
    assert page.value(expr) == expected


@pytest.mark.parametrize("bad", ["'a'", "'aGVsbG8==='", "'ab=c'", "'a\\u00e9bc'", "'ab*c'"])
def test_atob_invalid(page: Page, bad: str) -> None:
    err = page.error(f"atob({bad})")
    assert err[:2] == ["DOMException", "InvalidCharacterError"]
    assert page.value(f"(() => {{ try {{ atob({bad}) }} catch (e) {{ return e.code }} }})()") == 5


def test_btoa_outside_latin1(page: Page) -> None:
    assert page.error("btoa('\\u0100')")[:2] == ["DOMException", "InvalidCharacterError"]
    assert page.error("btoa()")[0] == "TypeError"


def test_interface_shapes(page: Page) -> None:
    shape = page.js(
        """
        const d = Object.getOwnPropertyDescriptor(globalThis, 'TextDecoder');
        const m = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'decode');
        const g = Object.getOwnPropertyDescriptor(TextDecoder.prototype, 'encoding');
        return [d.writable, d.enumerable, d.configurable, m.enumerable, typeof g.get, g.enumerable,
                TextDecoder.length, TextEncoder.length, TextDecoder.prototype.decode.length,
                String(new TextEncoder()), atob.length, btoa.name,
                Object.getOwnPropertyDescriptor(globalThis, 'atob').enumerable];
        """
    )
    assert shape == [
        True,
        False,
        True,
        True,
        "function",
        True,
        0,
        0,
        0,
        "[object TextEncoder]",
        1,
        "btoa",
        True,
    ]
    assert page.error("TextDecoder()")[0] == "TypeError"
    assert page.error("TextDecoder.prototype.decode.call({}, new Uint8Array(1))")[0] == "TypeError"
    assert (
        page.error(
            "Object.getOwnPropertyDescriptor(TextEncoder.prototype, 'encoding').get.call({})"
        )[0]
        == "TypeError"
    )
