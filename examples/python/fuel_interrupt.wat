;; Code that never stops on its own, and code that stops after a known amount of work.
(module
  (func (export "spin")
    (loop $forever (br $forever)))

  ;; Counts down from $n; each loop iteration costs one unit of fuel.
  (func (export "count_down") (param $n i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n)))
