;; An application module that imports a library instance's exports plus one host function.
;; linking.py defines the library (an inline module) under the name "lib" with a Linker.
(module $app
  (import "lib" "memory" (memory 1))
  (import "lib" "strlen" (func $strlen (param i32) (result i32)))
  (import "host" "print" (func $print (param i32 i32)))
  (export "memory" (memory 0))
  (data (i32.const 100) "linked across modules\00")

  (func (export "main") (result i32)
    (local $n i32)
    (local.set $n (call $strlen (i32.const 100)))
    (call $print (i32.const 100) (local.get $n))
    (local.get $n)))
