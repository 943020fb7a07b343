from engine.syntax.ast import Module


def encode_module(module: Module) -> bytes:
    raise NotImplementedError
