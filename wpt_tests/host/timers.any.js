// META: global=jsshell,window,dedicatedworker
// META: title=Timers

promise_test(async () => {
  const order = [];
  await new Promise((resolve) => {
    setTimeout(() => order.push("20"), 20);
    setTimeout(() => order.push("0a"), 0);
    setTimeout(() => order.push("5"), 5);
    setTimeout(() => order.push("0b"), 0);
    setTimeout(() => order.push("neg"), -10);
    setTimeout(() => resolve(), 40);
  });
  assert_array_equals(order, ["0a", "0b", "neg", "5", "20"]);
}, "timers fire by due time, then in the order they were set");

promise_test(async () => {
  const order = [];
  await new Promise((resolve) => {
    const id = setTimeout(() => order.push("cleared"), 0);
    setTimeout(() => order.push("kept"), 0);
    clearTimeout(id);
    clearTimeout(123456789);
    clearTimeout(undefined);
    setTimeout(resolve, 10);
  });
  assert_array_equals(order, ["kept"]);
}, "clearTimeout cancels a pending timer and ignores unknown ids");

promise_test(async () => {
  const ids = [setTimeout(() => {}, 0), setTimeout(() => {}, 0), setInterval(() => {}, 1000)];
  for (const id of ids) {
    assert_true(Number.isInteger(id) && id > 0, `id ${id} is a positive integer`);
  }
  assert_equals(new Set(ids).size, ids.length, "ids are unique");
  clearInterval(ids[2]);
}, "timer ids are distinct positive integers");

promise_test(async () => {
  let count = 0;
  await new Promise((resolve) => {
    const id = setInterval(() => {
      count++;
      if (count === 3) {
        clearInterval(id);
        setTimeout(resolve, 20);
      }
    }, 1);
  });
  assert_equals(count, 3);
}, "setInterval repeats until cleared");

promise_test(async () => {
  const got = await new Promise((resolve) => setTimeout((a, b) => resolve([a, b]), 0, "x", 2));
  assert_array_equals(got, ["x", 2]);
}, "setTimeout passes extra arguments to the callback");

async_test((t) => {
  const start = Date.now();
  setTimeout(
    t.step_func_done(() => {
      assert_greater_than_equal(Date.now() - start, 25);
    }),
    30,
  );
}, "a timer does not fire early");

async_test((t) => {
  step_timeout(() => t.done(), 1);
}, "step_timeout works in this global");
