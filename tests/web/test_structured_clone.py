import pytest

from tests.web.conftest import Page


def test_primitives_and_wrappers(page: Page) -> None:
    r = page.js(
        """
        const v = [1, 'a', true, null, undefined, -0, NaN, 2n ** 70n, Object(1), Object('s'),
                   Object(false), Object(3n), new Date(123), /a+b/gi];
        const c = structuredClone(v);
        return [c.length, c[4] === undefined && 4 in c, Object.is(c[5], -0), Number.isNaN(c[6]),
                c[7] === 2n ** 70n, typeof c[8], c[8].valueOf(), c[9].valueOf(), c[10].valueOf(),
                c[11].valueOf() === 3n, c[12].getTime(), c[13].source, c[13].flags,
                    c[13] !== v[13]];
        """
    )
    assert r == [14, True, True, True, True, "object", 1, "s", False, True, 123, "a+b", "gi", True]


def test_graph_identity_and_cycles(page: Page) -> None:
    r = page.js(
        """
        const shared = {n: 1}; const o = {a: shared, b: shared, list: [shared]}; o.self = o;
        const m = new Map([[shared, o]]); o.m = m; o.s = new Set([m, o]);
        const sparse = [1, , 3]; sparse.extra = 'x'; o.sparse = sparse;
        const c = structuredClone(o);
        return [c !== o, c.self === c, c.a === c.b, c.list[0] === c.a, c.m.get(c.a) === c,
                c.s.has(c.m), c.s.has(c), 1 in c.sparse, c.sparse.length, c.sparse.extra,
                Object.getPrototypeOf(c) === Object.prototype];
        """
    )
    assert r == [True, True, True, True, True, True, True, False, 3, "x", True]


def test_own_enumerable_properties_only(page: Page) -> None:
    r = page.js(
        """
        class K { constructor() { this.x = 1 } get y() { return 2 } }
        const o = new K(); Object.defineProperty(o, 'hidden', {value: 1, enumerable: false});
        o[Symbol('s')] = 1;
        const c = structuredClone(o);
        return [Object.keys(c), c instanceof K, 'hidden' in c];
        """
    )
    assert r == [["x"], False, False]


def test_errors(page: Page) -> None:
    r = page.js(
        """
        const e = new TypeError('bad'); e.extra = 1;
        const c = structuredClone(e);
        class MyErr extends RangeError {}
        const m = structuredClone(new MyErr('x'));
        const odd = new Error('y'); odd.name = 'Custom';
        const d = structuredClone(new DOMException('dm', 'DataCloneError'));
        return [c instanceof TypeError, c.message, c.extra, typeof c.stack, m.constructor.name,
                structuredClone(odd).name, d instanceof DOMException, d.name, d.message, d.code];
        """
    )
    assert r == [
        True,
        "bad",
        None,
        "string",
        "RangeError",
        "Error",
        True,
        "DataCloneError",
        "dm",
        25,
    ]


def test_buffers_and_views(page: Page) -> None:
    r = page.js(
        """
        const ab = new ArrayBuffer(16); const u32 = new Uint32Array(ab, 4, 2); u32[0] = 0xdeadbeef;
        const dv = new DataView(ab, 8, 4); const f = new Float64Array([1.5]);
        const c = structuredClone({ab, u32, dv, f, big: new BigInt64Array([-1n])});
        const r = new ArrayBuffer(4, {maxByteLength: 64}); const rc = structuredClone(r);
        return [c.u32.buffer === c.ab, c.dv.buffer === c.ab, c.u32[0] === 0xdeadbeef,
            c.u32.byteOffset,
                c.u32.length, c.dv.byteOffset, c.dv.byteLength, c.f[0], c.big[0] === -1n,
                c.ab !== ab, ab.byteLength, rc.resizable, rc.maxByteLength,
                structuredClone(new SharedArrayBuffer(8)) instanceof SharedArrayBuffer];
        """
    )
    assert r == [True, True, True, 4, 2, 8, 4, 1.5, True, True, 16, True, 64, True]


def test_transfer(page: Page) -> None:
    r = page.js(
        """
        const ab = new ArrayBuffer(8); new Uint8Array(ab)[0] = 7;
        const view = new Uint8Array(ab, 1, 3);
        const c = structuredClone({ab, view}, {transfer: [ab]});
        return [ab.byteLength, ab.detached, c.ab.byteLength, new Uint8Array(c.ab)[0],
                c.view.buffer === c.ab, c.view.length];
        """
    )
    assert r == [0, True, 8, 7, True, 3]
    dup = page.error("const b = new ArrayBuffer(1); structuredClone(b, {transfer: [b, b]})")
    assert dup[:2] == ["DOMException", "DataCloneError"]
    detached = page.error(
        "const b = new ArrayBuffer(1); b.transfer(); structuredClone(b, {transfer: [b]})"
    )
    assert detached[:2] == ["DOMException", "DataCloneError"]
    assert page.error("structuredClone(1, {transfer: [{}]})")[:2] == [
        "DOMException",
        "DataCloneError",
    ]
    assert page.error("structuredClone(1, {transfer: [1]})")[0] == "TypeError"
    assert (
        page.error("const b = new ArrayBuffer(1); b.transfer(); structuredClone(b)")[1]
        == "DataCloneError"
    )
    # A failed clone does not detach anything.
    assert (
        page.js(
            "const b = new ArrayBuffer(4);"
            "try { structuredClone({b, f() {}}, {transfer: [b]}) } catch {} return b.byteLength;"
        )
        == 4
    )


@pytest.mark.parametrize(
    "value",
    [
        "() => 1",
        "Symbol('s')",
        "{f: function () {}}",
        "new WeakMap()",
        "new WeakSet()",
        "new WeakRef({})",
        "Promise.resolve()",
        "new EventTarget()",
        "new Event('x')",
        "new URL('http://h/')",
        "new WebAssembly.Memory({initial: 1})",
        "Object(Symbol())",
    ],
)
def test_uncloneable(page: Page, value: str) -> None:
    assert page.error(f"structuredClone({value})")[:2] == ["DOMException", "DataCloneError"]


def test_blob_and_file(page: Page) -> None:
    r = page.run(
        """
        const b = structuredClone(new Blob(['abc'], {type: 't/x'}));
        const f = structuredClone(new File(['z'], 'n.bin', {lastModified: 5}));
        return [b instanceof Blob, b.type, await b.text(), f instanceof File, f.name,
            f.lastModified,
                await f.text()];
        """
    )
    assert r == [True, "t/x", "abc", True, "n.bin", 5, "z"]


def test_serialized_record_is_plain_data(page: Page) -> None:
    # The record is what crosses to another isolate: check it survives a trip through Python.
    page.bridge.expose("echo", lambda record: record)
    r = page.bridge.eval(
        """
        const web = __jsapiBridge.web;
        const src = {a: [1, 2n, undefined], d: new Date(9), u: new Uint8Array([1, 2, 3])};
        src.self = src;
        const record = web.serialize(src);
        const back = __jsapiBridge.services.echo(record);
        const c = web.deserialize(back);
        JSON.stringify([c.self === c, c.a[1] === 2n, 2 in c.a, c.d.getTime(), Array.from(c.u)])
        """
    )
    assert r == "[true,true,true,9,[1,2,3]]"
    assert page.value("structuredClone.length") == 1
    assert page.error("structuredClone()")[0] == "TypeError"
