"""Integer-lane v128 instructions (spec 4.3.2 vector instructions, reference v128.ml).

A v128 is a 128-bit unsigned int, lane 0 in the low bits, i.e. the little-endian reading of
its 16 bytes; lanes are taken apart with precompiled ``struct`` formats.  Add, sub and the
shifts work on the whole 128-bit int at once (SWAR) with per-lane masks.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

M128 = (1 << 128) - 1
_fb = int.from_bytes

Op = Callable[..., int]

# (signed struct, unsigned struct) per lane width.
ST: dict[int, tuple[struct.Struct, struct.Struct]] = {
    8: (struct.Struct("<16b"), struct.Struct("<16B")),
    16: (struct.Struct("<8h"), struct.Struct("<8H")),
    32: (struct.Struct("<4i"), struct.Struct("<4I")),
    64: (struct.Struct("<2q"), struct.Struct("<2Q")),
}
NAMES = {8: "i8x16", 16: "i16x8", 32: "i32x4", 64: "i64x2"}


def rep(lane: int, w: int) -> int:
    """``lane`` in every lane of width ``w``."""
    r = 0
    for i in range(128 // w):
        r |= lane << (i * w)
    return r


def tb(v: int) -> bytes:
    return v.to_bytes(16, "little")


def unrolled(
    n: int, nargs: int, ups: list[Any], pk: Any, expr: str, env: dict[str, Any] | None = None
) -> Op:
    """A lane-wise op as straight-line code: ``expr`` computes one result lane from the operand
    lanes ``{x}``, ``{y}``, ``{z}`` (one unpack per operand, one pack, no per-lane calls)."""
    params = ["a", "b", "c"][:nargs]
    lane_names = ["x", "y", "z"][:nargs]
    lines = [f"def op({', '.join(params)}):"]
    for k, (p, ln) in enumerate(zip(params, lane_names)):
        names = ", ".join(f"{ln}{i}" for i in range(n))
        lines.append(f"    {names}, = _up{k}({p}.to_bytes(16, 'little'))")
    body = ", ".join(expr.format(**{ln: f"{ln}{i}" for ln in lane_names}) for i in range(n))
    lines.append(f"    return _fb(_pk({body}), 'little')")
    ns: dict[str, Any] = {"_fb": _fb, "_pk": pk, **(env or {})}
    for k in range(nargs):
        ns[f"_up{k}"] = ups[k]
    exec("\n".join(lines), ns)  # noqa: S102 - source built from fixed templates only
    op: Op = ns["op"]
    return op


def binop(w: int, signed: bool, f: str, env: dict[str, Any] | None = None) -> Op:
    """A lane-wise binary op; ``f`` gives the result lane, as an unsigned value, from the
    operand lanes ``{x}`` and ``{y}`` (read signed or unsigned)."""
    up = ST[w][0 if signed else 1].unpack
    return unrolled(128 // w, 2, [up, up], ST[w][1].pack, f, env)


def unop(w: int, signed: bool, f: str) -> Op:
    up = ST[w][0 if signed else 1].unpack
    return unrolled(128 // w, 1, [up], ST[w][1].pack, f)


def _byte_table(f: Callable[[int], int]) -> Op:
    """A lane-wise i8x16 unary op as one bytes.translate."""
    table = bytes(f(i) for i in range(256))

    def op(a: int) -> int:
        return _fb(a.to_bytes(16, "little").translate(table), "little")

    return op


def _swar_add(w: int) -> Op:
    hi = rep(1 << (w - 1), w)
    lo = M128 ^ hi

    def add(a: int, b: int) -> int:
        return ((a & lo) + (b & lo)) ^ ((a ^ b) & hi)

    return add


def _swar_sub(w: int) -> Op:
    hi = rep(1 << (w - 1), w)
    lo = M128 ^ hi

    def sub(a: int, b: int) -> int:
        return (((a | hi) - (b & lo)) ^ ((a ^ ~b) & hi)) & M128

    return sub


def _shifts(w: int) -> dict[str, Op]:
    m = (1 << w) - 1
    k = w - 1
    shl_masks = [rep((m << c) & m, w) for c in range(w)]
    shr_masks = [rep(m >> c, w) for c in range(w)]
    s_up = ST[w][0].unpack
    u_pk = ST[w][1].pack

    def shl(v: int, c: int) -> int:
        c &= k
        return (v << c) & shl_masks[c]

    def shr_u(v: int, c: int) -> int:
        c &= k
        return (v >> c) & shr_masks[c]

    def shr_s(v: int, c: int) -> int:
        c &= k
        return _fb(u_pk(*[(x >> c) & m for x in s_up(v.to_bytes(16, "little"))]), "little")

    n = NAMES[w]
    return {f"{n}.shl": shl, f"{n}.shr_u": shr_u, f"{n}.shr_s": shr_s}


def _compares(w: int) -> dict[str, Op]:
    m = (1 << w) - 1
    n = NAMES[w]
    ops: dict[str, Op] = {
        f"{n}.eq": binop(w, False, f"({m} if {{x}} == {{y}} else 0)"),
        f"{n}.ne": binop(w, False, f"({m} if {{x}} != {{y}} else 0)"),
    }
    for sfx, signed in (("_s", True), ("_u", False)):
        if w == 64 and not signed:
            continue
        ops[f"{n}.lt{sfx}"] = binop(w, signed, f"({m} if {{x}} < {{y}} else 0)")
        ops[f"{n}.gt{sfx}"] = binop(w, signed, f"({m} if {{x}} > {{y}} else 0)")
        ops[f"{n}.le{sfx}"] = binop(w, signed, f"({m} if {{x}} <= {{y}} else 0)")
        ops[f"{n}.ge{sfx}"] = binop(w, signed, f"({m} if {{x}} >= {{y}} else 0)")
    return ops


def _lane_tests(w: int) -> dict[str, Op]:
    s_up, u_up = ST[w][0].unpack, ST[w][1].unpack
    n = NAMES[w]

    def all_true(v: int) -> int:
        return 0 if 0 in u_up(v.to_bytes(16, "little")) else 1

    def bitmask(v: int) -> int:
        r = 0
        for i, x in enumerate(s_up(v.to_bytes(16, "little"))):
            if x < 0:
                r |= 1 << i
        return r

    return {f"{n}.all_true": all_true, f"{n}.bitmask": bitmask}


def _arith(w: int) -> dict[str, Op]:
    m = (1 << w) - 1
    smin, smax = -(1 << (w - 1)), (1 << (w - 1)) - 1
    n = NAMES[w]
    ops: dict[str, Op] = {
        f"{n}.add": _swar_add(w),
        f"{n}.sub": _swar_sub(w),
        **_shifts(w),
        **_compares(w),
        **_lane_tests(w),
    }
    if w == 8:
        ops[f"{n}.abs"] = _byte_table(lambda x: x if x < 0x80 else (0x100 - x) & 0xFF)
        ops[f"{n}.neg"] = _byte_table(lambda x: -x & 0xFF)
    else:
        ops[f"{n}.abs"] = unop(w, True, f"(abs({{x}}) & {m})")
        ops[f"{n}.neg"] = unop(w, True, f"(-{{x}} & {m})")
    if w != 8:
        ops[f"{n}.mul"] = binop(w, False, f"(({{x}} * {{y}}) & {m})")
    if w <= 16:

        def sat(r: int) -> int:
            return (smin if r < smin else smax if r > smax else r) & m

        ops[f"{n}.add_sat_s"] = binop(w, True, "_sat({x} + {y})", {"_sat": sat})
        ops[f"{n}.add_sat_u"] = binop(
            w, False, f"(({{x}} + {{y}}) if {{x}} + {{y}} < {m} else {m})"
        )
        ops[f"{n}.sub_sat_s"] = binop(w, True, "_sat({x} - {y})", {"_sat": sat})
        ops[f"{n}.sub_sat_u"] = binop(w, False, "(({x} - {y}) if {x} > {y} else 0)")
        ops[f"{n}.avgr_u"] = binop(w, False, "(({x} + {y} + 1) >> 1)")
    if w <= 32:
        ops[f"{n}.min_s"] = binop(w, True, f"(({{x}} if {{x}} <= {{y}} else {{y}}) & {m})")
        ops[f"{n}.max_s"] = binop(w, True, f"(({{x}} if {{x}} >= {{y}} else {{y}}) & {m})")
        ops[f"{n}.min_u"] = binop(w, False, "({x} if {x} <= {y} else {y})")
        ops[f"{n}.max_u"] = binop(w, False, "({x} if {x} >= {y} else {y})")
    return ops


def _q15mulr(p: int) -> int:
    r = (p + 0x4000) >> 15
    return (0x7FFF if r > 0x7FFF else r) & 0xFFFF  # only -32768 * -32768 saturates


def _narrow(w: int, signed: bool) -> Op:
    """Narrow two vectors of ``w``-bit lanes to one of ``w/2``-bit lanes, saturating."""
    up = ST[w][0].unpack  # the inputs are always read as signed
    pk = ST[w // 2][1].pack
    h = w // 2
    lo, hi = (-(1 << (h - 1)), (1 << (h - 1)) - 1) if signed else (0, (1 << h) - 1)
    m = (1 << h) - 1

    def narrow(a: int, b: int) -> int:
        lanes = up(a.to_bytes(16, "little")) + up(b.to_bytes(16, "little"))
        return _fb(pk(*[(lo if x < lo else hi if x > hi else x) & m for x in lanes]), "little")

    return narrow


def _extend(w: int, high: bool, signed: bool) -> Op:
    """Widen the low or high half of ``w/2``-bit lanes to ``w``-bit lanes."""
    up = ST[w // 2][0 if signed else 1].unpack
    pk = ST[w][1].pack
    m = (1 << w) - 1
    half = 128 // w
    start = half if high else 0

    def extend(a: int) -> int:
        lanes = up(a.to_bytes(16, "little"))[start : start + half]
        return _fb(pk(*[x & m for x in lanes]), "little")

    return extend


def _extmul(w: int, high: bool, signed: bool) -> Op:
    up = ST[w // 2][0 if signed else 1].unpack
    pk = ST[w][1].pack
    m = (1 << w) - 1
    half = 128 // w
    s = slice(half if high else 0, (half if high else 0) + half)

    def extmul(a: int, b: int) -> int:
        xs = up(a.to_bytes(16, "little"))[s]
        ys = up(b.to_bytes(16, "little"))[s]
        return _fb(pk(*[(x * y) & m for x, y in zip(xs, ys)]), "little")

    return extmul


def _extadd_pairwise(w: int, signed: bool) -> Op:
    up = ST[w // 2][0 if signed else 1].unpack
    pk = ST[w][1].pack
    m = (1 << w) - 1

    def extadd(a: int) -> int:
        x = up(a.to_bytes(16, "little"))
        return _fb(pk(*[(x[i] + x[i + 1]) & m for i in range(0, len(x), 2)]), "little")

    return extadd


def _dot_i16x8_s(a: int, b: int) -> int:
    x = ST[16][0].unpack(a.to_bytes(16, "little"))
    y = ST[16][0].unpack(b.to_bytes(16, "little"))
    return _fb(
        ST[32][1].pack(
            *[(x[i] * y[i] + x[i + 1] * y[i + 1]) & 0xFFFF_FFFF for i in range(0, 8, 2)]
        ),
        "little",
    )


def relaxed_dot_i8x16_i7x16_s(a: int, b: int) -> int:
    # The reference interpreter's choice: products and their pairwise sum wrap in 16 bits.
    x = ST[8][0].unpack(a.to_bytes(16, "little"))
    y = ST[8][0].unpack(b.to_bytes(16, "little"))
    return _fb(
        ST[16][1].pack(*[(x[i] * y[i] + x[i + 1] * y[i + 1]) & 0xFFFF for i in range(0, 16, 2)]),
        "little",
    )


def relaxed_dot_i8x16_i7x16_add_s(a: int, b: int, c: int) -> int:
    x = ST[8][0].unpack(a.to_bytes(16, "little"))
    y = ST[8][0].unpack(b.to_bytes(16, "little"))
    z = ST[32][1].unpack(c.to_bytes(16, "little"))
    r = []
    for j in range(4):
        i = 4 * j
        d = x[i] * y[i] + x[i + 1] * y[i + 1] + x[i + 2] * y[i + 2] + x[i + 3] * y[i + 3]
        r.append((d + z[j]) & 0xFFFF_FFFF)
    return _fb(ST[32][1].pack(*r), "little")


def _popcnt_table(x: int) -> int:
    return x.bit_count()


INT_OPS: dict[str, Any] = {
    **_arith(8),
    **_arith(16),
    **_arith(32),
    **_arith(64),
    "i8x16.popcnt": _byte_table(_popcnt_table),
    "i16x8.q15mulr_sat_s": binop(16, True, "_q15({x} * {y})", {"_q15": _q15mulr}),
    "i16x8.relaxed_q15mulr_s": binop(16, True, "_q15({x} * {y})", {"_q15": _q15mulr}),
    "i8x16.narrow_i16x8_s": _narrow(16, True),
    "i8x16.narrow_i16x8_u": _narrow(16, False),
    "i16x8.narrow_i32x4_s": _narrow(32, True),
    "i16x8.narrow_i32x4_u": _narrow(32, False),
    "i32x4.dot_i16x8_s": _dot_i16x8_s,
    "i16x8.relaxed_dot_i8x16_i7x16_s": relaxed_dot_i8x16_i7x16_s,
    "i32x4.relaxed_dot_i8x16_i7x16_add_s": relaxed_dot_i8x16_i7x16_add_s,
}

for _w, _src in ((16, "i8x16"), (32, "i16x8"), (64, "i32x4")):
    _n = NAMES[_w]
    for _hl in ("low", "high"):
        for _su in ("s", "u"):
            _high, _signed = _hl == "high", _su == "s"
            INT_OPS[f"{_n}.extend_{_hl}_{_src}_{_su}"] = _extend(_w, _high, _signed)
            INT_OPS[f"{_n}.extmul_{_hl}_{_src}_{_su}"] = _extmul(_w, _high, _signed)
    if _w <= 32:
        for _su in ("s", "u"):
            INT_OPS[f"{_n}.extadd_pairwise_{_src}_{_su}"] = _extadd_pairwise(_w, _su == "s")
