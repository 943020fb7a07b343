;; i64 xorshift64* generator: 200000 steps, xor-folded checksum.
(module
  (func (export "run") (result i64)
    (local $x i64) (local $acc i64) (local $i i32)
    (local.set $x (i64.const 0x9E3779B97F4A7C15))
    (loop $l
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 12))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 25))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 27))))
      (local.set $acc (i64.add (i64.rotl (local.get $acc) (i64.const 7))
                               (i64.mul (local.get $x) (i64.const 0x2545F4914F6CDD1D))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 200000))))
    (local.get $acc)))
