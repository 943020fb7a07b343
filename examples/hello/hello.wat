;; The module behind examples/hello/index.html: arithmetic and a greeting in linear memory.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from WebAssembly!")

  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))

  ;; n! as an i64, so that JS sees a BigInt.
  (func (export "factorial") (param $n i64) (result i64)
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else
        (i64.mul (local.get $n)
          (call 1 (i64.sub (local.get $n) (i64.const 1)))))))

  ;; Where the greeting starts and how long it is.
  (func (export "greeting_ptr") (result i32) (i32.const 16))
  (func (export "greeting_len") (result i32) (i32.const 23)))
