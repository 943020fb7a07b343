from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from jsapi.host import Realm
from jsapi.page.html import parse_page


@pytest.fixture
def realm() -> Iterator[Realm]:
    with Realm("v8") as r:
        yield r


@pytest.fixture
def chrome(realm: Realm) -> Realm:
    realm.eval("__jsapiHost.console.setStyle('chrome')")
    return realm


def install_document(realm: Realm, markup: str) -> None:
    tree = json.dumps(parse_page(markup).tree_json())
    realm.eval(f"__jsapiHost.dom.install({tree}, 'http://localhost/index.html')")
