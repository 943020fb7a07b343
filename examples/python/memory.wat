;; Strings through linear memory: Python writes bytes, wasm transforms them in place,
;; and a bump allocator grows the memory when it runs out of room.
(module
  (memory (export "memory") 1 16)
  (global $next (mut i32) (i32.const 1024))

  ;; Reserve $n bytes and return their address, growing the memory by whole pages if needed.
  (func (export "alloc") (param $n i32) (result i32)
    (local $addr i32) (local $end i32) (local $have i32)
    (local.set $addr (global.get $next))
    (local.set $end (i32.add (local.get $addr) (local.get $n)))
    (local.set $have (i32.mul (memory.size) (i32.const 65536)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then
        (if (i32.eq (i32.const -1)
                    (memory.grow
                      (i32.shr_u
                        (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535))
                        (i32.const 16))))
          (then unreachable))))
    (global.set $next (local.get $end))
    (local.get $addr))

  ;; ASCII upper-casing of [$ptr, $ptr + $len), in place.
  (func (export "upper") (param $ptr i32) (param $len i32)
    (local $end i32) (local $c i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $ptr)))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97))
                     (i32.le_u (local.get $c) (i32.const 122)))
          (then (i32.store8 (local.get $ptr) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (br $next))))

  ;; Number of bytes equal to $byte in [$ptr, $ptr + $len).
  (func (export "count") (param $ptr i32) (param $len i32) (param $byte i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $n (i32.add (local.get $n)
                               (i32.eq (i32.load8_u (local.get $ptr)) (local.get $byte))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
        (local.set $len (i32.sub (local.get $len) (i32.const 1)))
        (br $next)))
    (local.get $n)))
