"""Stopping runaway wasm: fuel, an interrupt from another thread, and a deadline."""

import threading
import time
from pathlib import Path

from engine import Instance, Module, Store, Trap

store = Store()
exports = Instance(store, Module.from_file(Path(__file__).with_suffix(".wat")), []).exports(store)
spin, count_down = exports["spin"], exports["count_down"]

# 1. Fuel: one unit per function entry and per loop iteration.
store.set_fuel(10_000)
count_down(store, 1_000)
print("count_down(1000) consumed", store.fuel_consumed(), "fuel; left:", store.get_fuel())
try:
    spin(store)
except Trap as trap:
    print("spin with fuel:", trap.message, f"(trap_code={trap.trap_code})")
print("fuel left:", store.get_fuel())
store.set_fuel(None)  # unlimited again

# 2. interrupt() from another thread stops the loop within a bounded amount of work.
timer = threading.Timer(0.2, store.interrupt)
timer.start()
start = time.monotonic()
try:
    spin(store)
except Trap as trap:
    took = time.monotonic() - start
    print("spin interrupted by a thread:", trap.message, f"(trap_code={trap.trap_code})")
    print("stopped within a second:", took < 1.0)
timer.join()

# 3. A deadline in wall-clock time.
store.set_deadline(0.1)
try:
    spin(store)
except Trap as trap:
    print("spin past its deadline:", trap.message)
store.set_deadline(None)
print("still usable afterwards: count_down(5) =", count_down(store, 5))
