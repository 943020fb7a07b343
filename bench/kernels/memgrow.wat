;; memory.grow + memory.copy/fill: grows page by page, shuffles blocks, checksums samples.
(module
  (memory 1)
  (func (export "run") (result i32)
    (local $p i32) (local $i i32) (local $sum i32)
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 65536))
    (loop $grow
      (drop (memory.grow (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      ;; copy the previous page into the new one, then stamp it
      (memory.copy (i32.shl (local.get $p) (i32.const 16))
                   (i32.shl (i32.sub (local.get $p) (i32.const 1)) (i32.const 16))
                   (i32.const 65536))
      (memory.fill (i32.add (i32.shl (local.get $p) (i32.const 16)) (i32.mul (local.get $p) (i32.const 97)))
                   (local.get $p) (i32.const 1000))
      (br_if $grow (i32.lt_u (local.get $p) (i32.const 48))))
    (loop $sample
      (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31))
                               (i32.load8_u (i32.mul (local.get $i) (i32.const 4099)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sample (i32.lt_u (i32.mul (local.get $i) (i32.const 4099)) (i32.const 3211264))))
    (i32.add (local.get $sum) (memory.size))))
