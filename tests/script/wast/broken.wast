(module (func (export "f"))
(assert_return (invoke "f"))
