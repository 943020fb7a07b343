"""The namespace installed into a host realm: the event loop runs inside V8, and the memory pool
is refilled between its tasks."""

from jsapi.host import Realm


def test_realm_gets_the_engine_namespace_and_refills_the_pool_between_tasks() -> None:
    with Realm("jsapi") as realm:
        ns = realm.webassembly  # type: ignore[attr-defined]
        start = ns.pool.available("i32")
        realm.run_script(
            """
            globalThis.made = 0; globalThis.errors = [];
            function batch(n) {
              try {
                for (let i = 0; i < 12; i++) { new WebAssembly.Memory({initial: 1}); made++; }
              } catch (e) { errors.push(e.name); }
              if (n > 0) setTimeout(() => batch(n - 1), 60); else __jsapiHost.loop.stop();
            }
            batch(9);
            """,
            "refill.js",
        )
        outcome = realm.run_loop(30)
        assert outcome.reason == "stopped"
        assert realm.eval("errors.length") == 0
        made = realm.eval("made")
        assert made == 120 and made > start
        assert realm.eval("WebAssembly.Memory === WebAssembly.Memory.prototype.constructor")
        assert realm.eval("String(WebAssembly.RuntimeError.prototype)") == "RuntimeError"
