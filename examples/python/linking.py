"""Linking modules by name: a Linker holds host functions and whole instances, and
instantiates a module against them."""

from pathlib import Path

from engine import Caller, FuncType, Linker, LinkError, Module, Store, ValType

LIB = """
(module $lib
  (memory (export "memory") 1)
  ;; Length of the NUL-terminated string at $p.
  (func (export "strlen") (param $p i32) (result i32)
    (local $q i32)
    (local.set $q (local.get $p))
    (block $end
      (loop $next
        (br_if $end (i32.eqz (i32.load8_u (local.get $q))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next)))
    (i32.sub (local.get $q) (local.get $p))))
"""

store = Store()
linker = Linker(store)


def host_print(caller: Caller, ptr: int, length: int) -> None:
    # The caller is the instance whose code called: the application, which re-exports the
    # memory it imported from the library.
    memory = caller["memory"]
    print("host print:", memory.read(caller, ptr, ptr + length).decode())


i32 = ValType.i32()
linker.define_func("host", "print", FuncType([i32, i32], []), host_print, access_caller=True)
lib = linker.define_module(store, "lib", Module(LIB))
print("defined:", ", ".join(f"lib.{e.name}" for e in Module(LIB).exports))

app = Module.from_file(Path(__file__).with_suffix(".wat"))
print("main() =", linker.instantiate(store, app).exports(store)["main"](store))

# A name defined twice is an error unless shadowing is allowed.
try:
    linker.define(store, "lib", "strlen", lib.exports(store)["strlen"])
except LinkError as e:
    print("LinkError:", e)
linker.allow_shadowing = True
linker.define(store, "lib", "strlen", lib.exports(store)["strlen"])
print("shadowing allowed: redefined lib.strlen")

# An import nobody defined.
try:
    Linker(store).instantiate(store, app)
except LinkError as e:
    print("LinkError:", e)
