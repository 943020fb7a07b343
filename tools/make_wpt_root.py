"""Builds a WPT-shaped root for the spec's JS API tests, outside the repository.

    python tools/make_wpt_root.py --spec $SPEC --out /tmp/wpt-root

The root holds a copy of <spec>/test/js-api as wasm/jsapi and of
resources/{testharness,idlharness,webidl2}.js from node_modules/wpt-runner/testharness (run
`npm ci` first). Copies, not links: the host serves files only from inside its root, as a
static web server would, so a link that leaves the root would not load (importScripts in
worker-scope tests reads through that host).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HARNESS = ("testharness.js", "idlharness.js", "webidl2.js")


def place(source: Path, dest: Path) -> None:
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.is_dir():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, dest)
    else:
        shutil.copyfile(source, dest)


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
    place(js_api, out / "wasm" / "jsapi")
    for name in HARNESS:
        place((args.harness / name).resolve(), out / "resources" / name)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
