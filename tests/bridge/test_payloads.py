import hashlib

from jsapi.bridge import Bridge


def test_large_request_arrives_zero_copy(bridge: Bridge) -> None:
    got: list[tuple[str, int, str]] = []

    def digest(data: memoryview) -> str:
        got.append((type(data).__name__, len(data), hashlib.sha256(data).hexdigest()))
        return got[-1][2]

    bridge.expose("digest", digest)
    js_digest = bridge.eval(
        """
        const big = new Uint8Array(3 << 20);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 255;
        S.digest(big)
        """
    )
    expected = hashlib.sha256(bytes((i * 31) & 255 for i in range(3 << 20))).hexdigest()
    assert got == [("memoryview", 3 << 20, expected)]
    assert js_digest == expected
    assert bridge.eval("B.mailboxSize()") >= 3 << 20


def test_large_reply_grows_the_mailbox(bridge: Bridge) -> None:
    blob = bytes(range(256)) * (5 * 4096)  # 5 MiB
    bridge.expose("blob", lambda: blob)
    assert bridge.eval("const r = S.blob(); r.length + ':' + r[257] + ':' + r[r.length - 1]") == (
        f"{len(blob)}:1:255"
    )


def test_large_string_both_ways(bridge: Bridge) -> None:
    bridge.expose("upper", lambda s: s.upper())
    assert bridge.eval("const s = 'ab\\u00e9'.repeat(400000); S.upper(s) === s.toUpperCase()")


def test_mixed_small_and_large_binaries(bridge: Bridge) -> None:
    bridge.expose("sizes", lambda *bs: [len(b) for b in bs] + [bytes(bs[1][:3])])
    out = bridge.eval(
        """
        const r = S.sizes(new Uint8Array(10), new Uint8Array([9, 8, 7, ...new Array(997).fill(1)]),
                          new ArrayBuffer(300), new DataView(new ArrayBuffer(4000), 8, 16));
        r.slice(0, 4).join() + '|' + Array.from(r[4]).join()
        """
    )
    assert out == "10,1000,300,16|9,8,7"


def test_megabyte_payloads_in_a_loop(bridge: Bridge) -> None:
    bridge.expose("size", lambda b: len(b))
    assert (
        bridge.eval(
            "const mb = new Uint8Array(1 << 20); let n = 0;"
            "for (let i = 0; i < 50; i++) n += S.size(mb); n"
        )
        == 50 << 20
    )
