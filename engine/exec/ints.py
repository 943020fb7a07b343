"""Integer instructions of i32 and i64 (spec 4.3.2, reference interpreter ixx.ml).

Operands and results are unsigned canonical ints.  Most operations are given as Python
expression templates (``{0}``, ``{1}`` stand for the operands, which are simple names); the
rest, and the helpers the templates call, are plain functions.  numerics.py builds the public
SCALAR / INLINE / NAMESPACE tables from both.
"""

from __future__ import annotations

from engine.errors import Trap

M32 = 0xFFFF_FFFF
M64 = 0xFFFF_FFFF_FFFF_FFFF
S32 = 0x8000_0000
S64 = 0x8000_0000_0000_0000


def divz() -> int:
    raise Trap("integer divide by zero")


def _ovf() -> int:
    raise Trap("integer overflow")


def _make_signed_div(bits: int) -> tuple[object, object]:
    sign = 1 << (bits - 1)
    mod = 1 << bits
    mask = mod - 1

    def div_s(a: int, b: int) -> int:
        if not b:
            divz()
        if a & sign:
            a -= mod
        if b & sign:
            b -= mod
            if b == -1:
                if a == -sign:
                    _ovf()
                return -a & mask
        # Truncating division: Python's // floors, so correct towards zero.
        q = a // b
        if q < 0 and q * b != a:
            q += 1
        return q & mask

    def rem_s(a: int, b: int) -> int:
        if not b:
            divz()
        if a & sign:
            a -= mod
        if b & sign:
            b -= mod
        # The remainder takes the dividend's sign; INT_MIN rem -1 is 0, not a trap.
        r = abs(a) % abs(b)
        return (-r if a < 0 else r) & mask

    return div_s, rem_s


i32_div_s, i32_rem_s = _make_signed_div(32)
i64_div_s, i64_rem_s = _make_signed_div(64)

HELPERS: dict[str, object] = {
    "_divz": divz,
    "_i32_div_s": i32_div_s,
    "_i32_rem_s": i32_rem_s,
    "_i64_div_s": i64_div_s,
    "_i64_rem_s": i64_rem_s,
}


def _templates(t: str, bits: int) -> dict[str, str]:
    m = f"0x{(1 << bits) - 1:X}"
    s = f"0x{1 << (bits - 1):X}"
    k = bits - 1  # shift counts are taken modulo the width

    def cmp(expr: str) -> str:
        return f"(1 if {expr} else 0)"

    def signed(x: str) -> str:
        return f"(({x} ^ {s}) - {s})"

    return {
        f"{t}.eqz": "(0 if {0} else 1)",
        f"{t}.eq": cmp("{0} == {1}"),
        f"{t}.ne": cmp("{0} != {1}"),
        f"{t}.lt_u": cmp("{0} < {1}"),
        f"{t}.gt_u": cmp("{0} > {1}"),
        f"{t}.le_u": cmp("{0} <= {1}"),
        f"{t}.ge_u": cmp("{0} >= {1}"),
        # XOR with the sign bit maps signed order onto unsigned order.
        f"{t}.lt_s": cmp(f"({{0}} ^ {s}) < ({{1}} ^ {s})"),
        f"{t}.gt_s": cmp(f"({{0}} ^ {s}) > ({{1}} ^ {s})"),
        f"{t}.le_s": cmp(f"({{0}} ^ {s}) <= ({{1}} ^ {s})"),
        f"{t}.ge_s": cmp(f"({{0}} ^ {s}) >= ({{1}} ^ {s})"),
        f"{t}.clz": f"({bits} - ({{0}}).bit_length())",
        f"{t}.ctz": f"((({{0}} & -{{0}}).bit_length() - 1) if {{0}} else {bits})",
        f"{t}.popcnt": "({0}).bit_count()",
        f"{t}.add": f"(({{0}} + {{1}}) & {m})",
        f"{t}.sub": f"(({{0}} - {{1}}) & {m})",
        f"{t}.mul": f"(({{0}} * {{1}}) & {m})",
        f"{t}.div_u": "({0} // {1} if {1} else _divz())",
        f"{t}.rem_u": "({0} % {1} if {1} else _divz())",
        f"{t}.div_s": f"_{t}_div_s({{0}}, {{1}})",
        f"{t}.rem_s": f"_{t}_rem_s({{0}}, {{1}})",
        f"{t}.and": "({0} & {1})",
        f"{t}.or": "({0} | {1})",
        f"{t}.xor": "({0} ^ {1})",
        f"{t}.shl": f"(({{0}} << ({{1}} & {k})) & {m})",
        f"{t}.shr_u": f"({{0}} >> ({{1}} & {k}))",
        f"{t}.shr_s": f"(({signed('{0}')} >> ({{1}} & {k})) & {m})",
        f"{t}.rotl": f"((({{0}} << ({{1}} & {k})) | ({{0}} >> ({bits} - ({{1}} & {k})))) & {m})",
        f"{t}.rotr": f"((({{0}} >> ({{1}} & {k})) | ({{0}} << ({bits} - ({{1}} & {k})))) & {m})",
        f"{t}.extend8_s": f"(((({{0}} & 0xFF) ^ 0x80) - 0x80) & {m})",
        f"{t}.extend16_s": f"(((({{0}} & 0xFFFF) ^ 0x8000) - 0x8000) & {m})",
    }


INT_TEMPLATES: dict[str, str] = {
    **_templates("i32", 32),
    **_templates("i64", 64),
    "i64.extend32_s": f"(((({{0}} & {M32}) ^ {S32}) - {S32}) & {M64})",
    "i32.wrap_i64": f"({{0}} & {M32})",
    "i64.extend_i32_u": "({0})",
    "i64.extend_i32_s": f"((({{0}} ^ {S32}) - {S32}) & {M64})",
}
