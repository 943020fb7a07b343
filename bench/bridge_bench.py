"""Per-crossing costs of the V8 bridge, as ratios to a plain JS function call.

Run: python bench/bridge_bench.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jsapi.bridge import Bridge, JSHandle  # noqa: E402


def timed(bridge: Bridge, setup: str, body: str, n: int) -> float:
    """Microseconds per iteration of `body`, timed inside JS (no eval overhead)."""
    return float(
        bridge.eval(
            f"""(() => {{ {setup};
            let acc = 0; const t0 = Date.now();
            for (let i = 0; i < {n}; i++) {{ {body}; }}
            const dt = Date.now() - t0; globalThis.sink = acc; return dt * 1000 / {n}; }})()"""
        )
    )


def main() -> None:
    with Bridge() as b:
        b.eval("globalThis.S = __jsapiBridge.services;")
        b.expose("inc", lambda x: x + 1)
        b.expose("size", lambda data: len(data))
        b.expose("raw", lambda payload: payload[:4], raw=True)
        b.expose("id", lambda v: v)

        def bounce(fn: JSHandle, v: int) -> int:
            return b.call_js(fn, v) + 1

        b.expose("bounce", bounce)
        blob_1k, blob_1m = b"x" * 1024, b"x" * (1 << 20)
        b.expose("blob1k", lambda: blob_1k)
        b.expose("blob1m", lambda: blob_1m)

        plain = timed(b, "function f(x) { return x + 1; }", "acc = f(acc)", 5_000_000)
        plain = max(plain, 1e-4)
        rows = [
            ("plain JS function call", plain),
            ("JS -> Python (msgpack, 1 int arg)", timed(b, "", "acc = S.inc(acc)", 20000)),
            (
                "JS -> Python (raw bytes, 16 B)",
                timed(b, "const p = new Uint8Array(16)", "acc += S.raw(p).length", 20000),
            ),
            (
                "JS -> Py -> JS -> Py (nested round trip, 3 callbacks)",
                timed(b, "const g = (v) => S.id(v)", "acc += S.bounce(g, 1)", 5000),
            ),
            (
                "JS -> Python, 1 KB payload",
                timed(b, "const d = new Uint8Array(1024)", "acc += S.size(d)", 20000),
            ),
            (
                "JS -> Python, 1 MB payload",
                timed(b, "const d = new Uint8Array(1 << 20)", "acc += S.size(d)", 300),
            ),
            ("Python -> JS reply, 1 KB", timed(b, "", "acc += S.blob1k().length", 20000)),
            ("Python -> JS reply, 1 MB", timed(b, "", "acc += S.blob1m().length", 300)),
        ]
        print(f"{'crossing':56} {'us/op':>10} {'x plain call':>14}")
        for name, us in rows:
            print(f"{name:56} {us:10.3f} {us / plain:14.0f}")
        for name, us in rows:
            if "MB" in name or "KB" in name:
                size = (1 << 20) if "MB" in name else 1024
                print(f"{name}: {size / us:.0f} MB/s")


if __name__ == "__main__":
    main()
