"""The page's small document: tree, lookups, selectors, text and markup, events, ImageData."""

from __future__ import annotations

import json

import pytest

from jsapi.host import Realm
from tests.host.conftest import install_document

MARKUP = """<!doctype html><html><head><title> My  page </title></head>
<body class="main">
  <div id="app" class="box wide" data-user-id="7">
    <p class="msg first">Hello <b>bold</b> &amp; more</p>
    <p class="msg">Second<br>line</p>
    <ul><li>a</li><li class="sel">b</li><li>c</li></ul>
    <input type="text" value="v">
  </div>
  <span lang="en-US" title="a b">x</span>
</body></html>"""


@pytest.fixture
def doc(realm: Realm) -> Realm:
    install_document(realm, MARKUP)
    return realm


def ev(realm: Realm, code: str) -> object:
    return realm.eval(code)


def test_structure_and_lookups(doc: Realm) -> None:
    assert ev(doc, "document.documentElement.tagName") == "HTML"
    assert ev(doc, "document.head.firstElementChild.localName") == "title"
    assert ev(doc, "document.title") == "My page"
    assert ev(doc, "document.body.className") == "main"
    assert ev(doc, "document.getElementById('app').children.length") == 4
    assert ev(doc, "document.getElementById('nope')") is None
    assert ev(doc, "document.getElementsByTagName('li').length") == 3
    assert ev(doc, "document.getElementsByClassName('msg').length") == 2
    assert ev(doc, "document.getElementById('app').dataset.userId") == "7"
    assert ev(doc, "document.getElementById('app').parentElement === document.body") is True


@pytest.mark.parametrize(
    ("selector", "count"),
    [
        ("p", 2),
        ("*", 15),
        ("#app", 1),
        (".msg", 2),
        ("p.msg.first", 1),
        ("[data-user-id]", 1),
        ("[data-user-id='7']", 1),
        ('[type="text"]', 1),
        ("[class~=wide]", 1),
        ("[lang|=en]", 1),
        ("[title^=a]", 1),
        ("[title$=b]", 1),
        ("[title*=' ']", 1),
        ("div p b", 1),
        ("body > div > p", 2),
        ("body > p", 0),
        ("ul li.sel, span", 2),
        ("#app li", 3),
    ],
)
def test_selectors(doc: Realm, selector: str, count: int) -> None:
    assert ev(doc, f"document.querySelectorAll({selector!r}).length") == count


def test_query_selector_first_match_and_scope(doc: Realm) -> None:
    assert ev(doc, "document.querySelector('li').textContent") == "a"
    assert ev(doc, "document.querySelector('ul').querySelector('.sel').textContent") == "b"
    # A descendant combinator does not climb out of the element queried.
    assert ev(doc, "document.querySelector('ul').querySelectorAll('div li').length") == 0
    assert ev(doc, "document.querySelector('li.sel').matches('ul > .sel')") is True
    assert ev(doc, "document.querySelector('b').closest('div').id") == "app"


def test_invalid_selector_is_a_syntax_error(doc: Realm) -> None:
    assert ev(doc, "try { document.querySelector('p:hover') } catch (e) { e.name }") == (
        "SyntaxError"
    )


def test_text_and_markup(doc: Realm) -> None:
    assert ev(doc, "document.querySelector('.first').textContent") == "Hello bold & more"
    assert ev(doc, "document.querySelector('.first').innerHTML") == "Hello <b>bold</b> &amp; more"
    assert ev(doc, "document.querySelectorAll('p')[1].innerText") == "Second\nline"
    assert ev(doc, "document.querySelector('input').outerHTML") == ('<input type="text" value="v">')
    assert ev(doc, "document.querySelector('ul').innerText") == "a\nb\nc"


def test_mutation(doc: Realm) -> None:
    code = """
    const el = document.createElement('section');
    el.setAttribute('id', 'new');
    el.classList.add('x', 'y');
    el.classList.remove('x');
    el.appendChild(document.createTextNode('1 < 2'));
    document.body.appendChild(el);
    const ok = document.getElementById('new') === el && el.className === 'y';
    const html = el.outerHTML;
    el.textContent = 'replaced';
    document.title = 'Renamed';
    JSON.stringify([ok, html, document.title, el.classList.toggle('z'), el.textContent])
    """
    assert json.loads(ev(doc, code)) == [
        True,
        '<section id="new" class="y">1 &lt; 2</section>',
        "Renamed",
        True,
        "replaced",
    ]
    assert (
        ev(doc, "document.getElementById('new').remove(); document.getElementById('new')") is None
    )
    assert (
        ev(doc, "try { document.body.appendChild(document.documentElement) } catch (e) { e.name }")
        == "HierarchyRequestError"
    )


def test_events_bubble_to_the_window(doc: Realm) -> None:
    code = """
    const seen = [];
    const b = document.querySelector('b');
    b.addEventListener('ping', (e) => seen.push('b:' + (e.target === b)));
    document.body.addEventListener('ping', (e) => seen.push('body:' + e.eventPhase));
    document.addEventListener('ping', () => seen.push('document'));
    addEventListener('ping', () => seen.push('window'));
    b.dispatchEvent({type: 'ping', bubbles: true});
    b.dispatchEvent({type: 'ping', bubbles: false});
    const once = () => seen.push('once');
    b.addEventListener('one', once, {once: true});
    b.dispatchEvent({type: 'one'}); b.dispatchEvent({type: 'one'});
    seen.join()
    """
    assert ev(doc, code) == "b:true,body:3,document,window,b:true,once"


def test_image_data(doc: Realm) -> None:
    code = "const d = new ImageData(2, 3); [d.width, d.height, d.data.length, d.colorSpace]"
    assert json.loads(
        ev(doc, f"JSON.stringify((() => {{ {code.replace('; [', '; return [')} }})())")
    ) == [2, 3, 24, "srgb"]
    assert ev(doc, "new ImageData(new Uint8ClampedArray(16), 2).height") == 2
    assert ev(doc, "new ImageData(2, 1).data instanceof Uint8ClampedArray") is True
    assert ev(doc, "try { new ImageData(0, 1) } catch (e) { e.name }") == "IndexSizeError"
    assert ev(doc, "try { new ImageData(new Uint8ClampedArray(6), 1) } catch (e) { e.name }") == (
        "InvalidStateError"
    )
