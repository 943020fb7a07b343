"""Builds each page example's .wasm from its .wat with this project's own encoder.

python examples/build.py          # rewrite the .wasm files
python examples/build.py --check  # exit 1 if a committed .wasm is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from engine.api.module import wat2wasm  # noqa: E402

PAGE_EXAMPLES = ("hello", "life", "imports", "workers")


def sources() -> list[Path]:
    return sorted(p for name in PAGE_EXAMPLES for p in (HERE / name).glob("*.wat"))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for wat in sources():
        wasm = wat.with_suffix(".wasm")
        data = wat2wasm(wat.read_text("utf-8"))
        if check:
            if not wasm.exists() or wasm.read_bytes() != data:
                stale.append(wasm)
        else:
            wasm.write_bytes(data)
            print(f"{wasm.relative_to(HERE)}: {len(data)} bytes")
    for wasm in stale:
        print(f"out of date: {wasm.relative_to(HERE)} (run python examples/build.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
