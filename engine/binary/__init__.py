"""The binary format (spec chapter 5): ``decode_module`` and ``encode_module``."""

from engine.binary.encode import encode_module
from engine.binary.sections import decode_module

__all__ = ["decode_module", "encode_module"]
