;; The kernel the workers run over one shared memory: bytes 0..1023 hold the barrier and the
;; partial results, the data starts at byte 1024 (one i32 per element).
(module
  (import "env" "mem" (memory 1 1 shared))
  ;; data[i] = i + 1 for i in [from, to)
  (func (export "fill") (param $from i32) (param $to i32)
    (local $i i32)
    (local.set $i (local.get $from))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2))
          (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  ;; sum of data[i]^2 for i in [from, to), as i64
  (func (export "sumsq") (param $from i32) (param $to i32) (result i64)
    (local $i i32) (local $v i64) (local $acc i64)
    (local.set $i (local.get $from))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $to)))
        (local.set $v (i64.extend_i32_u
          (i32.atomic.load offset=1024 (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $acc (i64.add (local.get $acc) (i64.mul (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
