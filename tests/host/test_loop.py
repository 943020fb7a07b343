"""The event loop's page features: quiescence, kept-alive operations, clamping, frames."""

from __future__ import annotations

import json
import time

from jsapi.host import Realm


def test_idle_stop_waits_for_kept_alive_operations(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.done = false;
        const op = new Promise((resolve) => setTimeout(resolve, 30));
        __jsapiHost.loop.keepAlive(op.then(() => new Promise((r) => r())).then(() => {
          done = true;
        }));
        """
    )
    outcome = realm.run_loop(5, stop_when_idle=True)
    assert outcome.reason == "idle"
    assert realm.eval("done") is True


def test_idle_with_nothing_to_do_stops_at_once(realm: Realm) -> None:
    outcome = realm.run_loop(5, stop_when_idle=True)
    assert outcome.reason == "idle" and outcome.seconds < 1


def test_nesting_level_clamp_applies_from_the_sixth_level(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.gaps = [];
        let last = __jsapiHost.loop.now();
        function tick(n) {
          const now = __jsapiHost.loop.now();
          gaps.push(now - last);
          last = now;
          if (n < 10) setTimeout(tick, 0, n + 1);
        }
        setTimeout(tick, 0, 1);
        """
    )
    realm.run_loop(5, stop_when_idle=True, virtual_time=True)
    gaps = json.loads(str(realm.eval("JSON.stringify(gaps)")))
    assert len(gaps) == 10
    assert all(g >= 4 for g in gaps[6:])
    # The first gap also spans the start of the loop from Python, so it is not a timer's gap.
    assert all(g < 4 for g in gaps[1:5])


def test_interval_nesting_is_clamped_too(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.times = [];
        const id = setInterval(() => {
          times.push(__jsapiHost.loop.now());
          if (times.length === 10) clearInterval(id);
        }, 0);
        """
    )
    realm.run_loop(5, stop_when_idle=True, virtual_time=True)
    times = json.loads(str(realm.eval("JSON.stringify(times)")))
    assert times[-1] - times[-2] >= 4


def test_animation_frame_callbacks_share_a_timestamp(realm: Realm) -> None:
    realm.eval(
        """
        globalThis.stamps = [];
        requestAnimationFrame((t) => stamps.push(t));
        requestAnimationFrame((t) => {
          stamps.push(t);
          requestAnimationFrame((t2) => stamps.push(t2));
        });
        """
    )
    realm.run_loop(5, stop_when_idle=True, virtual_time=True)
    stamps = json.loads(str(realm.eval("JSON.stringify(stamps)")))
    assert stamps[0] == stamps[1]
    assert abs(stamps[2] - stamps[1] - 1000 / 60) < 0.01


def test_virtual_time_jumps_over_long_timers(realm: Realm) -> None:
    realm.eval("globalThis.fired = 0; setTimeout(() => fired++, 600000);")
    start = time.monotonic()
    outcome = realm.run_loop(30, stop_when_idle=True, virtual_time=True)
    assert outcome.reason == "idle"
    assert realm.eval("fired") == 1
    assert time.monotonic() - start < 5


def test_request_animation_frame_needs_a_function(realm: Realm) -> None:
    assert realm.eval("try { requestAnimationFrame(1) } catch (e) { e.constructor.name }") == (
        "TypeError"
    )
