;; Wasm calling Python: "env" "log" reports each step, "env" "scale" computes on the host side.
(module
  (import "env" "log" (func $log (param i32 i64)))
  (import "env" "scale" (func $scale (param f64) (result f64)))

  ;; Sum of i*i for i in [1, n], logging every partial sum.
  (func (export "sum_squares") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $sum
        (i64.add (local.get $sum)
                 (i64.extend_i32_u (i32.mul (local.get $i) (local.get $i)))))
      (call $log (local.get $i) (local.get $sum))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))

  (func (export "area") (param $r f64) (result f64)
    (f64.mul (call $scale (local.get $r)) (local.get $r))))
