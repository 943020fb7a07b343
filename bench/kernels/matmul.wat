;; f64 matrix multiply C = A x B (40 x 40) in linear memory; checksum = bits of sum(C).
(module
  (memory 1)
  (func (export "run") (result i64)
    (local $i i32) (local $j i32) (local $k i32) (local $acc f64) (local $sum f64)
    ;; A at 0, B at 12800, C at 25600 (40 * 40 * 8 = 12800 bytes each)
    (local.set $i (i32.const 0))
    (loop $init_i
      (local.set $j (i32.const 0))
      (loop $init_j
        (f64.store
          (i32.shl (i32.add (i32.mul (local.get $i) (i32.const 40)) (local.get $j)) (i32.const 3))
          (f64.div (f64.convert_i32_u (i32.add (local.get $i) (local.get $j))) (f64.const 7)))
        (f64.store offset=12800
          (i32.shl (i32.add (i32.mul (local.get $i) (i32.const 40)) (local.get $j)) (i32.const 3))
          (f64.sub (f64.convert_i32_u (i32.mul (local.get $i) (local.get $j))) (f64.const 3.5)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $init_j (i32.lt_u (local.get $j) (i32.const 40))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $init_i (i32.lt_u (local.get $i) (i32.const 40))))
    (local.set $i (i32.const 0))
    (loop $li
      (local.set $j (i32.const 0))
      (loop $lj
        (local.set $acc (f64.const 0))
        (local.set $k (i32.const 0))
        (loop $lk
          (local.set $acc (f64.add (local.get $acc)
            (f64.mul
              (f64.load (i32.shl (i32.add (i32.mul (local.get $i) (i32.const 40)) (local.get $k)) (i32.const 3)))
              (f64.load offset=12800
                (i32.shl (i32.add (i32.mul (local.get $k) (i32.const 40)) (local.get $j)) (i32.const 3))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $lk (i32.lt_u (local.get $k) (i32.const 40))))
        (f64.store offset=25600
          (i32.shl (i32.add (i32.mul (local.get $i) (i32.const 40)) (local.get $j)) (i32.const 3))
          (local.get $acc))
        (local.set $sum (f64.add (local.get $sum) (local.get $acc)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $lj (i32.lt_u (local.get $j) (i32.const 40))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $li (i32.lt_u (local.get $i) (i32.const 40))))
    (i64.reinterpret_f64 (local.get $sum))))
