;; JS functions imported into wasm, and wasm calling back into JS which calls wasm again.
(module
  (import "js" "log" (func $log (param i32)))
  (import "js" "square" (func $square (param i32) (result i32)))
  ;; JS answers by calling this module's `countdown` export: recursion across the boundary.
  (import "js" "bounce" (func $bounce (param i32) (result i32)))

  ;; Sum of squares 1..n, each square computed by JS.
  (func (export "sum_of_squares") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $sum (i32.add (local.get $sum) (call $square (local.get $i))))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (call $log (local.get $sum))
    (local.get $sum))

  ;; countdown(n): 0 at the bottom, else 1 + bounce(n - 1), i.e. n crossings each way.
  (func (export "countdown") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $bounce (i32.sub (local.get $n) (i32.const 1))))))))
