"""Builds a WPT-shaped root for the spec's JS API tests, outside the repository.

    python tools/make_wpt_root.py --spec /work/spec --out /tmp/wpt-root

The root links wasm/jsapi to <spec>/test/js-api and resources/{testharness,idlharness,webidl2}.js
to the copies in node_modules/wpt-runner/testharness (run `npm ci` first). Nothing is copied.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HARNESS = ("testharness.js", "idlharness.js", "webidl2.js")


def link(target: Path, link_path: Path) -> None:
    if link_path.is_symlink() or link_path.exists():
        link_path.unlink()
    link_path.parent.mkdir(parents=True, exist_ok=True)
    link_path.symlink_to(target)


def main(argv: list[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", type=Path, required=True, help="a WebAssembly spec checkout")
    parser.add_argument("--out", type=Path, required=True, help="the root to create")
    parser.add_argument(
        "--harness",
        type=Path,
        default=repo / "node_modules" / "wpt-runner" / "testharness",
        help="the folder holding testharness.js, idlharness.js and webidl2.js",
    )
    args = parser.parse_args(argv)
    js_api = (args.spec / "test" / "js-api").resolve()
    if not js_api.is_dir():
        print(f"make_wpt_root: no test/js-api under {args.spec}", file=sys.stderr)
        return 2
    for name in HARNESS:
        if not (args.harness / name).is_file():
            print(f"make_wpt_root: no {name} in {args.harness} (run npm ci)", file=sys.stderr)
            return 2
    out = args.out.resolve()
    if repo == out or repo in out.parents:
        print("make_wpt_root: the root must be outside the repository", file=sys.stderr)
        return 2
    link(js_api, out / "wasm" / "jsapi")
    for name in HARNESS:
        link((args.harness / name).resolve(), out / "resources" / name)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
