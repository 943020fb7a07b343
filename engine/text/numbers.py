"""Number literals (spec 6.3.1 - 6.3.2): integers with range checks and floats rounded exactly.

Every function raises ``ValueError`` on a literal that does not fit; the parser turns that into
the reference's "constant out of range" (or the more specific message it uses).
"""

from __future__ import annotations

import struct as _struct

# (mantissa bits without the hidden one, exponent bits) per float type.
_FORMATS = {"f32": (23, 8), "f64": (52, 11)}


def parse_int(s: str, bits: int) -> int:
    """An iN literal as its unsigned canonical value.

    Like the reference's ``Ixx.of_string``: unsigned or ``+`` literals range over
    [0, 2^N), negative ones over [-2^(N-1), 0]."""
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    body = body.replace("_", "")
    if not body:
        raise ValueError(s)
    n = int(body[2:], 16) if body.startswith("0x") else int(body, 10)
    if neg:
        if n > 1 << (bits - 1):
            raise ValueError(s)
        return -n & ((1 << bits) - 1)
    if n >= 1 << bits:
        raise ValueError(s)
    return n


def parse_lane_int(s: str, bits: int) -> int:
    """An i8 / i16 lane literal: the reference accepts [-2^(N-1), 2^N) for these."""
    return parse_int(s, bits)


def parse_nat(s: str, bits: int) -> int:
    """An unsigned literal (no sign allowed) below 2^bits."""
    if s[0] in "+-":
        raise ValueError(s)
    return parse_int(s, bits)


def _round(num: int, den: int, mbits: int, ebits: int) -> int:
    """Round the positive rational num/den to the nearest float (ties to even); returns the
    bit pattern without sign.  Raises ValueError when it rounds to infinity."""
    if num == 0:
        return 0
    p = mbits + 1
    bias = (1 << (ebits - 1)) - 1
    emin, emax = 1 - bias, bias
    e = num.bit_length() - den.bit_length()
    if (num >= den << e) if e >= 0 else (num << -e >= den):
        pass
    else:
        e -= 1
    if e > emax + 1:
        raise ValueError("overflow")
    if e < emin:
        e = emin
    shift = e - (p - 1)
    if shift >= 0:
        q, r = divmod(num, den << shift)
        half = den << shift
    else:
        q, r = divmod(num << -shift, den)
        half = den
    r2 = 2 * r
    if r2 > half or (r2 == half and q & 1):
        q += 1
    if q == 1 << p:
        q >>= 1
        e += 1
    if e > emax:
        raise ValueError("overflow")
    if q < 1 << mbits:  # subnormal (only possible at emin)
        return q
    return ((e + bias) << mbits) | (q - (1 << mbits))


def _fast_float(s: str, ty: str) -> int | None:
    """The bit pattern by way of Python's correctly rounded f64 conversion, or None where
    that could differ from rounding the literal directly (f32 midpoints, subnormals,
    overflow)."""
    t = s.replace("_", "")
    try:
        d = float.fromhex(t) if "0x" in t else float(t)
    except (ValueError, OverflowError):
        return None
    bits = _struct.unpack("<Q", _struct.pack("<d", d))[0]
    exp = (bits >> 52) & 0x7FF
    if ty == "f64":
        return None if exp == 0x7FF else bits
    # A double rounded once more to f32 is exact unless it sits on an f32 midpoint.
    if not 897 <= exp <= 1150 or bits & 0x1FFFFFFF == 0x10000000:
        return None
    try:
        return _struct.unpack("<I", _struct.pack("<f", d))[0]
    except OverflowError:
        return None


def parse_float(s: str, ty: str) -> int:
    """An f32 / f64 literal as its IEEE bit pattern."""
    if "n" not in s and len(s) < 64:  # not inf / nan, and short enough to be cheap
        r = _fast_float(s, ty)
        if r is not None:
            return r
    mbits, ebits = _FORMATS[ty]
    width = 1 + mbits + ebits
    sign = 0
    if s[0] in "+-":
        if s[0] == "-":
            sign = 1 << (width - 1)
        s = s[1:]
    exp_all = ((1 << ebits) - 1) << mbits
    if s == "inf":
        return sign | exp_all
    if s.startswith("nan"):
        if s == "nan":
            return sign | exp_all | (1 << (mbits - 1))
        payload = int(s[6:].replace("_", ""), 16)
        if payload == 0 or payload >= 1 << mbits:
            raise ValueError(s)
        return sign | exp_all | payload
    s = s.replace("_", "")
    if s.startswith("0x"):
        body = s[2:]
        exp = 0
        for marker in "pP":
            if marker in body:
                body, e_str = body.split(marker)
                exp = int(e_str)
                break
        whole, _, frac = body.partition(".")
        mant = int(whole + frac, 16)
        exp -= 4 * len(frac)
        digits = len(whole + frac) * 4
        base = 2
    else:
        body = s
        exp = 0
        for marker in "eE":
            if marker in body:
                body, e_str = body.split(marker)
                exp = int(e_str)
                break
        whole, _, frac = body.partition(".")
        mant = int(whole + frac)
        exp -= len(frac)
        digits = len(whole + frac)
        base = 10
    if mant == 0:
        return sign
    # Bound the exponent before building huge powers: far out of range is over/underflow.
    limit = 1200 if base == 10 else 4000
    if exp + digits > limit:
        raise ValueError(s)
    if exp + digits < -limit:
        return sign
    if exp >= 0:
        num, den = mant * base**exp, 1
    else:
        num, den = mant, base**-exp
    return sign | _round(num, den, mbits, ebits)


def f32_bits_of_float(x: float) -> int:
    import struct

    return int.from_bytes(struct.pack("<f", x), "little")
