;; The smallest useful module: two exported functions, no imports.
(module $hello
  (func (export "answer") (result i32)
    i32.const 42)

  ;; n! as an i64, computed with a loop.
  (func (export "factorial") (param $n i32) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.le_s (local.get $n) (i32.const 1)))
        (local.set $acc (i64.mul (local.get $acc) (i64.extend_i32_s (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  ;; Two results come back to Python as a tuple.
  (func (export "divmod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_s (local.get $a) (local.get $b))
    (i32.rem_s (local.get $a) (local.get $b))))
