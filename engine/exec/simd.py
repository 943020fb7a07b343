"""v128 instructions for the execution tier (spec 4.3.2 vector instructions, incl. relaxed SIMD).

A v128 is a 128-bit unsigned int, lane 0 in the low bits (the little-endian reading of its 16
bytes).  The compiler uses:

- ``VECTOR[op]``: for every v128 instruction that does not touch memory (v128.const excluded),
  a function taking the operands, bottom of the stack first, then the immediates: a lane index
  int for extract/replace_lane, a tuple of 16 lane indices for ``i8x16.shuffle``.  E.g.
  ``VECTOR["i8x16.extract_lane_s"](v, lane) -> i32``,
  ``VECTOR["i32x4.replace_lane"](v, x, lane) -> v128``, ``VECTOR["i8x16.shl"](v, n) -> v128``.
  Results are v128 ints, or i32/i64/f32/f64 values in the scalar representation (numerics.py).
- ``VEC_LOAD[op]`` for the widening, splatting and zero-extending loads (v128.load8x8_s/u,
  16x4, 32x2, load8/16/32/64_splat, load32_zero, load64_zero): the argument is the bytes read
  from memory as a little-endian unsigned int of the access width (64 bits for the x-by-y
  loads), the result the v128.
- ``lane_get(v, lane, width_bits)`` and ``lane_set(v, lane, width_bits, bits)`` for
  v128.loadN_lane / v128.storeN_lane.

Relaxed SIMD follows the reference interpreter's deterministic choices: swizzle, saturating
truncation, min/max and bitselect as their non-relaxed counterparts; madd fused; the i8 dot
product wrapping in 16 bits.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from engine.exec.simd_float import FLOAT_OPS
from engine.exec.simd_int import INT_OPS, M128, ST, rep
from engine.runtime.float_bits import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits

__all__ = ["VECTOR", "VEC_LOAD", "lane_get", "lane_set"]

_fb = int.from_bytes

_R8 = rep(1, 8)
_R16 = rep(1, 16)
_R32 = rep(1, 32)
_R64 = rep(1, 64)


def lane_get(v: int, lane: int, width_bits: int) -> int:
    return (v >> (lane * width_bits)) & ((1 << width_bits) - 1)


def lane_set(v: int, lane: int, width_bits: int, bits: int) -> int:
    sh = lane * width_bits
    m = (1 << width_bits) - 1
    return (v & ~(m << sh) & M128) | ((bits & m) << sh)


# --- splat, extract, replace ---


def _extract_s(w: int) -> Callable[[int, int], int]:
    m = (1 << w) - 1
    s = 1 << (w - 1)

    def extract_s(v: int, lane: int) -> int:
        return ((((v >> (lane * w)) & m) ^ s) - s) & 0xFFFF_FFFF

    return extract_s


def _extract_u(w: int) -> Callable[[int, int], int]:
    m = (1 << w) - 1

    def extract_u(v: int, lane: int) -> int:
        return (v >> (lane * w)) & m

    return extract_u


def _replace(w: int) -> Callable[[int, int, int], int]:
    m = (1 << w) - 1

    def replace(v: int, x: int, lane: int) -> int:
        sh = lane * w
        return (v & ~(m << sh) & M128) | ((x & m) << sh)

    return replace


def _f32_extract(v: int, lane: int) -> float:
    return f32_from_bits((v >> (lane * 32)) & 0xFFFF_FFFF)


def _f64_extract(v: int, lane: int) -> float:
    return f64_from_bits((v >> (lane * 64)) & 0xFFFF_FFFF_FFFF_FFFF)


def _f32_replace(v: int, x: float, lane: int) -> int:
    sh = lane * 32
    return (v & ~(0xFFFF_FFFF << sh) & M128) | (f32_to_bits(x) << sh)


def _f64_replace(v: int, x: float, lane: int) -> int:
    sh = lane * 64
    return (v & ~(0xFFFF_FFFF_FFFF_FFFF << sh) & M128) | (f64_to_bits(x) << sh)


# --- bitwise ---


def _not(a: int) -> int:
    return a ^ M128


def _and(a: int, b: int) -> int:
    return a & b


def _andnot(a: int, b: int) -> int:
    return a & (b ^ M128)


def _or(a: int, b: int) -> int:
    return a | b


def _xor(a: int, b: int) -> int:
    return a ^ b


def bitselect(a: int, b: int, c: int) -> int:
    return (a & c) | (b & (c ^ M128))


def _any_true(a: int) -> int:
    return 1 if a else 0


# --- byte permutations ---

_ZEROS240 = bytes(240)


def swizzle(a: int, s: int) -> int:
    # Indices 16..255 select 0: translate through the 16 bytes padded to a 256-byte table.
    table = a.to_bytes(16, "little") + _ZEROS240
    return _fb(s.to_bytes(16, "little").translate(table), "little")


_SHUFFLES: dict[tuple[int, ...], Callable[[bytes], tuple[int, ...]]] = {}


def shuffle(a: int, b: int, lanes: tuple[int, ...]) -> int:
    pick = _SHUFFLES.get(lanes)
    if pick is None:
        # Lane indices are immediates: a module has few distinct ones, so build each picker once.
        pick = _SHUFFLES[lanes] = itemgetter(*lanes)
    return _fb(bytes(pick(a.to_bytes(16, "little") + b.to_bytes(16, "little"))), "little")


VECTOR: dict[str, Callable[..., Any]] = {
    **INT_OPS,
    **FLOAT_OPS,
    "i8x16.splat": lambda x: (x & 0xFF) * _R8,
    "i16x8.splat": lambda x: (x & 0xFFFF) * _R16,
    "i32x4.splat": lambda x: (x & 0xFFFF_FFFF) * _R32,
    "i64x2.splat": lambda x: (x & 0xFFFF_FFFF_FFFF_FFFF) * _R64,
    "f32x4.splat": lambda x: f32_to_bits(x) * _R32,
    "f64x2.splat": lambda x: f64_to_bits(x) * _R64,
    "i8x16.extract_lane_s": _extract_s(8),
    "i8x16.extract_lane_u": _extract_u(8),
    "i16x8.extract_lane_s": _extract_s(16),
    "i16x8.extract_lane_u": _extract_u(16),
    "i32x4.extract_lane": _extract_u(32),
    "i64x2.extract_lane": _extract_u(64),
    "f32x4.extract_lane": _f32_extract,
    "f64x2.extract_lane": _f64_extract,
    "i8x16.replace_lane": _replace(8),
    "i16x8.replace_lane": _replace(16),
    "i32x4.replace_lane": _replace(32),
    "i64x2.replace_lane": _replace(64),
    "f32x4.replace_lane": _f32_replace,
    "f64x2.replace_lane": _f64_replace,
    "v128.not": _not,
    "v128.and": _and,
    "v128.andnot": _andnot,
    "v128.or": _or,
    "v128.xor": _xor,
    "v128.bitselect": bitselect,
    "v128.any_true": _any_true,
    "i8x16.relaxed_laneselect": bitselect,
    "i16x8.relaxed_laneselect": bitselect,
    "i32x4.relaxed_laneselect": bitselect,
    "i64x2.relaxed_laneselect": bitselect,
    "i8x16.swizzle": swizzle,
    "i8x16.relaxed_swizzle": swizzle,
    "i8x16.shuffle": shuffle,
}


# --- loads ---


def _load_extend(w: int, signed: bool) -> Callable[[int], int]:
    """Widen the lanes of a 64-bit load of ``w/2``-bit lanes to ``w`` bits."""
    up = ST[w // 2][0 if signed else 1].unpack
    pk = ST[w][1].pack
    m = (1 << w) - 1
    n = 128 // w

    def load(x: int) -> int:
        lanes = up(x.to_bytes(8, "little") + bytes(8))[:n]
        return _fb(pk(*[v & m for v in lanes]), "little")

    return load


VEC_LOAD: dict[str, Callable[[int], int]] = {
    "v128.load8x8_s": _load_extend(16, True),
    "v128.load8x8_u": _load_extend(16, False),
    "v128.load16x4_s": _load_extend(32, True),
    "v128.load16x4_u": _load_extend(32, False),
    "v128.load32x2_s": _load_extend(64, True),
    "v128.load32x2_u": _load_extend(64, False),
    "v128.load8_splat": lambda x: (x & 0xFF) * _R8,
    "v128.load16_splat": lambda x: (x & 0xFFFF) * _R16,
    "v128.load32_splat": lambda x: (x & 0xFFFF_FFFF) * _R32,
    "v128.load64_splat": lambda x: (x & 0xFFFF_FFFF_FFFF_FFFF) * _R64,
    "v128.load32_zero": lambda x: x & 0xFFFF_FFFF,
    "v128.load64_zero": lambda x: x & 0xFFFF_FFFF_FFFF_FFFF,
}
