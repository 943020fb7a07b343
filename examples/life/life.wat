;; Conway's Game of Life on a 32 x 32 torus. The board lives in linear memory: one byte per
;; cell (0 dead, 1 alive), the current board at offset 0 and the next one at offset 1024;
;; step() computes the next generation and copies it back, so JS always reads offset 0.
(module
  (memory (export "memory") 1)
  (global $size (export "size") i32 (i32.const 32))

  (func $cell (param $x i32) (param $y i32) (result i32)
    ;; Wrap around the edges: (x + 32) % 32.
    (i32.load8_u
      (i32.add
        (i32.mul (i32.rem_u (i32.add (local.get $y) (i32.const 32)) (i32.const 32)) (i32.const 32))
        (i32.rem_u (i32.add (local.get $x) (i32.const 32)) (i32.const 32)))))

  (func $neighbours (param $x i32) (param $y i32) (result i32)
    (local $dx i32) (local $dy i32) (local $n i32)
    (local.set $dy (i32.const -1))
    (loop $rows
      (local.set $dx (i32.const -1))
      (loop $cols
        (if (i32.or (local.get $dx) (local.get $dy))
          (then
            (local.set $n
              (i32.add (local.get $n)
                (call $cell (i32.add (local.get $x) (local.get $dx))
                            (i32.add (local.get $y) (local.get $dy)))))))
        (local.set $dx (i32.add (local.get $dx) (i32.const 1)))
        (br_if $cols (i32.le_s (local.get $dx) (i32.const 1))))
      (local.set $dy (i32.add (local.get $dy) (i32.const 1)))
      (br_if $rows (i32.le_s (local.get $dy) (i32.const 1))))
    (local.get $n))

  (func (export "step")
    (local $x i32) (local $y i32) (local $n i32) (local $alive i32)
    (loop $rows
      (local.set $x (i32.const 0))
      (loop $cols
        (local.set $n (call $neighbours (local.get $x) (local.get $y)))
        (local.set $alive (call $cell (local.get $x) (local.get $y)))
        (i32.store8 offset=1024
          (i32.add (i32.mul (local.get $y) (i32.const 32)) (local.get $x))
          (i32.or
            (i32.eq (local.get $n) (i32.const 3))
            (i32.and (local.get $alive) (i32.eq (local.get $n) (i32.const 2)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br_if $cols (i32.lt_u (local.get $x) (i32.const 32))))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br_if $rows (i32.lt_u (local.get $y) (i32.const 32))))
    (memory.copy (i32.const 0) (i32.const 1024) (i32.const 1024)))

  (func (export "population") (result i32)
    (local $i i32) (local $n i32)
    (loop $cells
      (local.set $n (i32.add (local.get $n) (i32.load8_u (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $cells (i32.lt_u (local.get $i) (i32.const 1024))))
    (local.get $n)))
