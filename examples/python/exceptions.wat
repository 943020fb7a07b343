;; Wasm exceptions crossing the Python boundary in both directions.
(module
  (import "host" "error" (tag $error (param i32)))
  (import "host" "check" (func $check (param i32)))

  ;; Calls the host's check and catches the exception it may throw, returning its code.
  (func (export "guarded") (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $error $caught)
        (call $check (local.get $x)))
      (i32.const 0)))

  ;; Throws and lets the exception escape to Python.
  (func (export "fail") (param $code i32)
    (throw $error (local.get $code))))
