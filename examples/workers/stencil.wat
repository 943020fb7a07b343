;; A stencil the workers of stencil.js run over one shared memory, in phases separated by a
;; barrier that waits inside wasm (memory.atomic.wait32), so every worker passes every barrier.
;; Bytes 0..7: the barrier (arrivals, generation); two buffers of n i32 at 1024 and 1024 + 4n.
(module
  (import "env" "mem" (memory 1 1 shared))
  (func $barrier (param $parties i32)
    (local $gen i32)
    (local.set $gen (i32.atomic.load (i32.const 4)))
    (if (i32.eq (i32.atomic.rmw.add (i32.const 0) (i32.const 1))
                (i32.sub (local.get $parties) (i32.const 1)))
      (then
        (i32.atomic.store (i32.const 0) (i32.const 0))
        (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
        (drop (memory.atomic.notify (i32.const 4) (i32.const -1))))
      (else
        (block $done
          (loop $again
            (br_if $done (i32.ne (i32.atomic.load (i32.const 4)) (local.get $gen)))
            (drop (memory.atomic.wait32 (i32.const 4) (local.get $gen) (i64.const -1)))
            (br $again))))))
  ;; The address of element i of buffer b (0 or 1).
  (func $at (param $b i32) (param $i i32) (param $n i32) (result i32)
    (i32.add (i32.const 1024)
      (i32.shl (i32.add (i32.mul (local.get $b) (local.get $n)) (local.get $i)) (i32.const 2))))
  ;; Phase p reads buffer p % 2 and writes the other: x[i] <- x[i - 1] + x[i] * 3 + x[i + 1]
  ;; (wrapping, the ends wrap around), for this worker's slice [id * n / parties, ...).
  (func (export "run") (param $id i32) (param $parties i32) (param $n i32) (param $phases i32)
    (local $p i32) (local $i i32) (local $to i32) (local $src i32) (local $left i32)
    (local $right i32)
    (block $finished
      (loop $phase
        (br_if $finished (i32.ge_u (local.get $p) (local.get $phases)))
        (local.set $src (i32.and (local.get $p) (i32.const 1)))
        (local.set $i (i32.div_u (i32.mul (local.get $id) (local.get $n)) (local.get $parties)))
        (local.set $to (i32.div_u (i32.mul (i32.add (local.get $id) (i32.const 1)) (local.get $n))
                                  (local.get $parties)))
        (block $slice
          (loop $next
            (br_if $slice (i32.ge_u (local.get $i) (local.get $to)))
            (local.set $left (i32.rem_u (i32.add (local.get $i) (i32.sub (local.get $n) (i32.const 1)))
                                        (local.get $n)))
            (local.set $right (i32.rem_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
            (i32.store (call $at (i32.xor (local.get $src) (i32.const 1)) (local.get $i) (local.get $n))
              (i32.add
                (i32.add
                  (i32.load (call $at (local.get $src) (local.get $left) (local.get $n)))
                  (i32.mul (i32.load (call $at (local.get $src) (local.get $i) (local.get $n)))
                           (i32.const 3)))
                (i32.load (call $at (local.get $src) (local.get $right) (local.get $n)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (call $barrier (local.get $parties))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $phase)))))
