"""A hand-written wasm-bindgen-style (web target) glue module, instantiated through V8's native
WebAssembly with a stub fetch that reads the served root."""

from pathlib import Path

WASM = bytes.fromhex(
    "0061736d01000000"  # magic, version
    "010b0260017f0060027f7f017f"  # types: (i32)->() and (i32 i32)->i32
    "020b0103776267036c6f670000"  # import "wbg" "log" (func type 0)
    "0303020100"  # functions: add (type 1), greet (type 0)
    "0503010001"  # memory 1
    "071803066d656d6f72790200036164640001056772656574"
    "0002"  # exports
    "0a10020700200020016a0b0600200010000b"  # bodies: add, greet
)

GLUE = """
let wasm;
const logged = [];

function __wbg_get_imports() {
    const imports = {};
    imports.wbg = {};
    imports.wbg.log = function (arg0) { logged.push(arg0); };
    return imports;
}

async function __wbg_load(module, imports) {
    if (typeof module.arrayBuffer === "function") {
        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    }
    const instance = await WebAssembly.instantiate(module, imports);
    if (instance instanceof WebAssembly.Instance) return { instance, module };
    return instance;
}

function __wbg_finalize_init(instance, module) {
    wasm = instance.exports;
    __wbg_init.__wbindgen_wasm_module = module;
    return wasm;
}

function initSync(module) {
    if (wasm !== undefined) return wasm;
    const instance = new WebAssembly.Instance(module, __wbg_get_imports());
    return __wbg_finalize_init(instance, module);
}

async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (typeof module_or_path === "undefined") {
        module_or_path = import.meta.resolve("./glue_bg.wasm");
    }
    const imports = __wbg_get_imports();
    if (typeof module_or_path === "string") {
        module_or_path = fetch(module_or_path);
    }
    const { instance, module } = await __wbg_load(await module_or_path, imports);
    return __wbg_finalize_init(instance, module);
}

export function add(a, b) {
    const ret = wasm.add(a, b);
    return ret >>> 0;
}

export function greet(n) {
    wasm.greet(n);
}

export function memoryPages() { return wasm.memory.buffer.byteLength / 65536; }
export { logged, initSync };
export default __wbg_init;
"""

MAIN = """
import init, { add, greet, logged, memoryPages } from "./pkg/glue.js";
const exports = await init();
export const sum = add(2, 40);
greet(7);
greet(9);
export const seen = logged.slice();
export const pages = memoryPages();
export const exportNames = Object.keys(exports).sort();
"""


def test_wasm_bindgen_style_glue(page):
    page.write("pkg/glue.js", GLUE)
    page.write("pkg/glue_bg.wasm", WASM)
    page.write("main.js", MAIN)
    root: Path = page.root
    fetched: list[str] = []

    def read_bytes(url: str) -> bytes | None:
        fetched.append(url)
        path = root / url.removeprefix("http://localhost/")
        return path.read_bytes() if path.is_file() else None

    page.bridge.expose("readBytes", read_bytes)
    # The stub below stands in for the page's fetch().
    page.js(
        """globalThis.fetch = (() => {
             const read = __jsapiBridge.services.readBytes;
             return async (url) => {
               const bytes = read(String(url));
               if (bytes === null) throw new TypeError("Failed to fetch");
               const copy = bytes.slice();
               return { ok: true, arrayBuffer: async () => copy.buffer };
             };
           })()"""
    )
    out = page.run(
        "__host.importModule('/main.js').then((ns) => [ns.sum, ns.seen, ns.pages, ns.exportNames])"
    )
    assert out == [42, [7, 9], 1, ["add", "greet", "memory"]]
    assert fetched == ["http://localhost/pkg/glue_bg.wasm"]
    # A second importer shares the already-initialised instance (one module map entry).
    page.write(
        "again.js",
        "import init, { add } from './pkg/glue.js'; await init(); export const r = add(1, 2);",
    )
    assert page.run("__host.importModule('/again.js').then((ns) => ns.r)") == 3
    assert fetched == ["http://localhost/pkg/glue_bg.wasm"]
