"""The wasm -> JavaScript tier (planned): wasm functions compiled to JavaScript source that V8
JIT-compiles, reading and writing the same instance state (memories, tables, globals) as the
Python execution tier in engine/exec/. Nothing here yet; docs/architecture.md describes the seam."""
