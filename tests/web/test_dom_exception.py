from tests.web.conftest import Page


def test_names_codes_and_constants(page: Page) -> None:
    r = page.js(
        """
        const e = new DOMException('boom', 'NotFoundError');
        return [e.name, e.message, e.code, String(e), e instanceof Error,
                Object.getPrototypeOf(DOMException.prototype) === Error.prototype,
                Object.getPrototypeOf(DOMException) === Function.prototype,
                DOMException.NOT_FOUND_ERR, e.DATA_CLONE_ERR, DOMException.length,
                new DOMException().name, new DOMException().message, new DOMException('x',
                    'Custom').code,
                Object.prototype.toString.call(e), typeof e.stack, Object.keys(e).length];
        """
    )
    assert r == [
        "NotFoundError", "boom", 8, "NotFoundError: boom", True, True, True, 8, 25, 0,
        "Error", "", 0, "[object DOMException]", "string", 0,
    ]  # fmt: skip


def test_options_dictionary_and_cause(page: Page) -> None:
    r = page.js(
        "const e = new DOMException('m', {name: 'AbortError', cause: 7});"
        "return [e.name, e.code, e.cause, Object.getOwnPropertyDescriptor(e, 'cause').enumerable];"
    )
    assert r == ["AbortError", 20, 7, False]


def test_constant_descriptors_and_brand_checks(page: Page) -> None:
    d = page.value("Object.getOwnPropertyDescriptor(DOMException, 'SYNTAX_ERR')")
    assert d == {"value": 12, "writable": False, "enumerable": True, "configurable": False}
    assert (
        page.error("Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get.call({})")[
            0
        ]
        == "TypeError"
    )
    assert page.error("DOMException()")[0] == "TypeError"
    assert page.value("Object.keys(DOMException.prototype).includes('code')") is True
