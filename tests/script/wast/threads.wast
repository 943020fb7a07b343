;; A thread blocks in memory.atomic.wait32 until the main script notifies it.
(module $Mem (memory (export "mem") 1 1 shared))

(thread $T (shared (module $Mem))
  (register "mem" $Mem)
  (module $W
    (memory (import "mem" "mem") 1 1 shared)
    (func (export "run") (result i32)
      (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (assert_return (invoke $W "run") (i32.const 0))
  (module $S
    (memory (import "mem" "mem") 1 1 shared)
    (func (export "set") (i32.atomic.store (i32.const 4) (i32.const 7))))
  (invoke $S "set")
)

(register "mem" $Mem)
(module $N
  (memory (import "mem" "mem") 1 1 shared)
  ;; Retry until the thread is queued: a notify with no waiter wakes nobody.
  (func (export "wake") (result i32)
    (loop $again
      (br_if $again (i32.eqz (memory.atomic.notify (i32.const 0) (i32.const 1)))))
    (i32.const 1))
  (func (export "get") (result i32) (i32.atomic.load (i32.const 4)))
  (func (export "wait_value_differs") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const -1)))
  (func (export "wait_timeout") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 1000)))
)
(assert_return (invoke $N "wake") (i32.const 1))
(wait $T)
(assert_return (invoke $N "get") (i32.const 7))
(assert_return (invoke $N "wait_value_differs") (i32.const 1))
(assert_return (invoke $N "wait_timeout") (i32.const 2))
