"""The text format's keywords: instruction mnemonics with their immediate kinds, and the
reserved words of modules and scripts (spec 6.5 - 6.6, plus the script grammar)."""

from __future__ import annotations

import re

from engine.syntax.opcodes import OPCODES

# Mnemonic -> immediate kind (see engine/syntax/ast.py).  The binary-only spellings are left
# out; the SIMD lane loads and stores are added here because the shared opcode table lacks them.
INSTRS: dict[str, str] = {
    op: kind
    for op, (_, _, kind) in OPCODES.items()
    if op not in ("select_t", "ref.test_null", "ref.cast_null")
}
for _n in (8, 16, 32, 64):
    INSTRS[f"v128.load{_n}_lane"] = "memarg_lane"
    INSTRS[f"v128.store{_n}_lane"] = "memarg_lane"

# Mnemonics that the parser builds by hand: they are not plain instructions.
STRUCTURED = frozenset(("block", "loop", "if", "try_table"))

OTHER_KEYWORDS = frozenset(
    """
    i8 i16 i32 i64 f32 f64 v128 i8x16 i16x8 i32x4 i64x2 f32x4 f64x2
    any anyref none nullref eq eqref i31 i31ref structref arrayref nofunc funcref nullfuncref
    exn noexn exnref nullexnref extern noextern externref nullexternref ref null
    array struct field mut sub final rec shared
    end then else catch catch_ref catch_all catch_all_ref
    type tag global memory table func param result local data elem declare offset item
    start import export
    module binary quote definition instance
    script register invoke get assert_malformed assert_invalid assert_malformed_custom
    assert_invalid_custom assert_unlinkable assert_return assert_trap assert_exception
    assert_exhaustion assert_uninstantiable nan:canonical nan:arithmetic either input output
    thread wait
    ref.struct ref.array ref.exn ref.extern ref.host ref.any
    """.split()
)

KEYWORDS = frozenset(INSTRS) | OTHER_KEYWORDS

_SIZE_RE = re.compile(r"(?:load|store|rmw)(\d+)")


def natural_align(op: str) -> int:
    """log2 of the natural alignment of a memory instruction (its access width in bytes)."""
    if op.startswith("v128."):
        if op in ("v128.load", "v128.store"):
            return 4
        if "x" in op[5:]:  # v128.load8x8_s and friends read 64 bits
            return 3
        m = _SIZE_RE.search(op)
        assert m is not None
        return (int(m.group(1)) // 8).bit_length() - 1
    if op.startswith("memory.atomic."):
        return 3 if op.endswith("64") else 2
    m = _SIZE_RE.search(op)
    bits = int(m.group(1)) if m else (32 if op[1:3] == "32" else 64)
    return (bits // 8).bit_length() - 1
