;; A trap three calls deep, for a backtrace with function names.
(module $calculator
  (func $divide (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $average (param $total i32) (param $count i32) (result i32)
    (call $divide (local.get $total) (local.get $count)))
  (func $report (export "report") (param $total i32) (param $count i32) (result i32)
    (call $average (local.get $total) (local.get $count)))

  (func (export "overflow") (result i32)
    (i32.div_s (i32.const 0x80000000) (i32.const -1)))

  (memory 1)
  (func (export "peek") (param $addr i32) (result i32)
    (i32.load (local.get $addr))))
