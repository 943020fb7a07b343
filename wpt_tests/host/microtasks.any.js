// META: global=jsshell,window,dedicatedworker
// META: title=Tasks and microtasks

promise_test(async () => {
  const order = [];
  await new Promise((resolve) => {
    setTimeout(() => {
      order.push("task 1");
      queueMicrotask(() => order.push("microtask of task 1"));
      Promise.resolve().then(() => order.push("promise of task 1"));
    }, 0);
    setTimeout(() => {
      order.push("task 2");
      resolve();
    }, 0);
    queueMicrotask(() => order.push("microtask"));
  });
  assert_array_equals(order, [
    "microtask",
    "task 1",
    "microtask of task 1",
    "promise of task 1",
    "task 2",
  ]);
}, "microtasks run between tasks, in the order they were queued");

test(() => {
  assert_throws_js(TypeError, () => queueMicrotask());
  assert_throws_js(TypeError, () => queueMicrotask("code"));
  assert_throws_js(TypeError, () => queueMicrotask({}));
}, "queueMicrotask requires a function");

promise_test(async () => {
  let ran = false;
  queueMicrotask(function () {
    "use strict";
    ran = this === undefined;
  });
  await Promise.resolve();
  assert_true(ran, "the callback ran with an undefined this");
}, "queueMicrotask callbacks get no this value");

promise_test(async () => {
  const order = [];
  queueMicrotask(() => order.push(1));
  queueMicrotask(() => order.push(2));
  await null;
  await null;
  assert_array_equals(order, [1, 2]);
}, "queued microtasks keep their order");
