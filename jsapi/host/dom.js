// A small document for pages (a subset of DOM 4 and HTML, listed in docs/page-runner.md):
// the tree the page runner parsed, element lookup and simple selectors, text and markup
// accessors, attribute and tree mutation, and event listeners with a bubble path up to the
// window. Installed by `host.dom.install(tree, url)`; test realms have no document.
(function (global) {
  "use strict";

  const host = global.__jsapiHost;
  const VOID = new Set(
    "area base br col embed hr img input link meta param source track wbr".split(" "),
  );
  const RAW_TEXT = new Set(["script", "style"]);
  const ELEMENT = 1, TEXT = 3, COMMENT = 8, DOCUMENT = 9, FRAGMENT = 11;

  function escapeText(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00a0/g, "&nbsp;");
  }

  function escapeAttr(s) {
    return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/\u00a0/g, "&nbsp;");
  }

  function setEventField(event, name, value) {
    Object.defineProperty(event, name, { value, configurable: true, writable: true });
  }

  class Node {
    constructor(type, name, document) {
      this.nodeType = type;
      this.nodeName = name;
      this.ownerDocument = document;
      this.parentNode = null;
      this.childNodes = [];
      this._listeners = new Map();
    }
    get parentElement() {
      const p = this.parentNode;
      return p !== null && p.nodeType === ELEMENT ? p : null;
    }
    get firstChild() {
      return this.childNodes[0] || null;
    }
    get lastChild() {
      return this.childNodes[this.childNodes.length - 1] || null;
    }
    get nextSibling() {
      const p = this.parentNode;
      return p === null ? null : p.childNodes[p.childNodes.indexOf(this) + 1] || null;
    }
    get previousSibling() {
      const p = this.parentNode;
      return p === null ? null : p.childNodes[p.childNodes.indexOf(this) - 1] || null;
    }
    get isConnected() {
      let n = this;
      while (n.parentNode !== null) n = n.parentNode;
      return n.nodeType === DOCUMENT;
    }
    hasChildNodes() {
      return this.childNodes.length > 0;
    }
    contains(other) {
      for (let n = other; n !== null && n !== undefined; n = n.parentNode) if (n === this) return true;
      return false;
    }
    get textContent() {
      if (this.nodeType === TEXT || this.nodeType === COMMENT) return this.data;
      if (this.nodeType === DOCUMENT) return null;
      return this.childNodes.map((c) => (c.nodeType === COMMENT ? "" : c.textContent)).join("");
    }
    set textContent(value) {
      if (this.nodeType === TEXT || this.nodeType === COMMENT) {
        this.data = String(value);
        return;
      }
      for (const c of this.childNodes) c.parentNode = null;
      this.childNodes = [];
      const text = value === null ? "" : String(value);
      if (text !== "") this.appendChild(this.ownerDocument.createTextNode(text));
    }
    _checkChild(node) {
      if (!(node instanceof Node)) {
        throw new TypeError("Failed to execute 'appendChild' on 'Node': parameter 1 is not of type 'Node'.");
      }
      if (node.contains(this)) {
        throw domError("The new child element contains the parent.", "HierarchyRequestError");
      }
    }
    insertBefore(node, ref) {
      this._checkChild(node);
      if (ref !== null && ref !== undefined && ref.parentNode !== this) {
        throw domError("The node before which the new node is to be inserted is not a child of this node.", "NotFoundError");
      }
      const nodes = node.nodeType === FRAGMENT ? node.childNodes.slice() : [node];
      for (const n of nodes) {
        if (n.parentNode !== null) n.parentNode.removeChild(n);
        const at = ref === null || ref === undefined ? this.childNodes.length : this.childNodes.indexOf(ref);
        this.childNodes.splice(at, 0, n);
        n.parentNode = this;
      }
      return node;
    }
    appendChild(node) {
      return this.insertBefore(node, null);
    }
    removeChild(node) {
      const i = this.childNodes.indexOf(node);
      if (i < 0) throw domError("The node to be removed is not a child of this node.", "NotFoundError");
      this.childNodes.splice(i, 1);
      node.parentNode = null;
      return node;
    }
    replaceChild(node, old) {
      this.insertBefore(node, old);
      return this.removeChild(old);
    }
    append(...nodes) {
      for (const n of nodes) this.appendChild(typeof n === "string" ? this.ownerDocument.createTextNode(n) : n);
    }
    prepend(...nodes) {
      const first = this.firstChild;
      for (const n of nodes) this.insertBefore(typeof n === "string" ? this.ownerDocument.createTextNode(n) : n, first);
    }
    remove() {
      if (this.parentNode !== null) this.parentNode.removeChild(this);
    }
    cloneNode(deep) {
      let copy;
      if (this.nodeType === ELEMENT) {
        copy = new Element(this.localName, this.ownerDocument);
        for (const [k, v] of this._attrs) copy._attrs.set(k, v);
      } else if (this.nodeType === TEXT) copy = new Text(this.data, this.ownerDocument);
      else if (this.nodeType === COMMENT) copy = new Comment(this.data, this.ownerDocument);
      else copy = new DocumentFragment(this.ownerDocument);
      if (deep) for (const c of this.childNodes) copy.appendChild(c.cloneNode(true));
      return copy;
    }
    addEventListener(type, callback, options) {
      if (callback === null || callback === undefined) return;
      const key = String(type);
      const once = typeof options === "object" && options !== null && Boolean(options.once);
      let list = this._listeners.get(key);
      if (list === undefined) this._listeners.set(key, (list = []));
      if (!list.some((e) => e.callback === callback)) list.push({ callback, once });
    }
    removeEventListener(type, callback) {
      const list = this._listeners.get(String(type));
      if (list === undefined) return;
      const i = list.findIndex((e) => e.callback === callback);
      if (i >= 0) list.splice(i, 1);
    }
    // At target, then bubbling up through the ancestors to the window (DOM 2.9, without capture).
    dispatchEvent(event) {
      if (event === null || typeof event !== "object" || !("type" in event)) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      setEventField(event, "target", this);
      const path = [this];
      if (event.bubbles) for (let n = this.parentNode; n !== null; n = n.parentNode) path.push(n);
      for (const node of path) {
        setEventField(event, "currentTarget", node);
        setEventField(event, "eventPhase", node === this ? 2 : 3);
        node._fire(event);
        if (event.cancelBubble) break;
      }
      if (event.bubbles && !event.cancelBubble && path[path.length - 1].nodeType === DOCUMENT) {
        setEventField(event, "currentTarget", global);
        host.dispatchGlobal(event);
      }
      setEventField(event, "currentTarget", null);
      setEventField(event, "eventPhase", 0);
      return !event.defaultPrevented;
    }
    _fire(event) {
      const list = this._listeners.get(event.type);
      const handler = this["on" + event.type];
      const entries = list === undefined ? [] : list.slice();
      if (typeof handler === "function") entries.push({ callback: handler, once: false });
      for (const entry of entries) {
        if (entry.once) this.removeEventListener(event.type, entry.callback);
        try {
          if (typeof entry.callback === "function") host.loop.observe(entry.callback.call(this, event));
          else host.loop.observe(entry.callback.handleEvent(event));
        } catch (e) {
          host.reportError(e);
        }
      }
    }
  }

  class Text extends Node {
    constructor(data, document) {
      super(TEXT, "#text", document);
      this.data = String(data);
    }
    get nodeValue() {
      return this.data;
    }
  }

  class Comment extends Node {
    constructor(data, document) {
      super(COMMENT, "#comment", document);
      this.data = String(data);
    }
  }

  class DocumentFragment extends Node {
    constructor(document) {
      super(FRAGMENT, "#document-fragment", document);
    }
  }

  function* descendants(root) {
    const stack = root.childNodes.slice().reverse();
    while (stack.length > 0) {
      const n = stack.pop();
      if (n.nodeType !== ELEMENT) continue;
      yield n;
      for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i]);
    }
  }

  class ParentQueries extends Node {
    get children() {
      return this.childNodes.filter((c) => c.nodeType === ELEMENT);
    }
    get childElementCount() {
      return this.children.length;
    }
    get firstElementChild() {
      return this.children[0] || null;
    }
    get lastElementChild() {
      const c = this.children;
      return c[c.length - 1] || null;
    }
    querySelectorAll(selectors) {
      const groups = parseSelectors(String(selectors));
      return [...descendants(this)].filter((el) => groups.some((g) => matchesGroup(el, g, this)));
    }
    querySelector(selectors) {
      const groups = parseSelectors(String(selectors));
      for (const el of descendants(this)) if (groups.some((g) => matchesGroup(el, g, this))) return el;
      return null;
    }
    getElementsByTagName(name) {
      const n = String(name).toLowerCase();
      return [...descendants(this)].filter((el) => n === "*" || el.localName === n);
    }
    getElementsByClassName(names) {
      const wanted = String(names).split(/\s+/).filter(Boolean);
      return [...descendants(this)].filter((el) => wanted.every((c) => el.classList.contains(c)));
    }
  }

  class ClassList {
    constructor(element) {
      this._el = element;
    }
    _list() {
      return (this._el.getAttribute("class") || "").split(/\s+/).filter(Boolean);
    }
    get length() {
      return this._list().length;
    }
    item(i) {
      return this._list()[i] ?? null;
    }
    contains(c) {
      return this._list().includes(String(c));
    }
    add(...cs) {
      const list = this._list();
      for (const c of cs) if (!list.includes(String(c))) list.push(String(c));
      this._el.setAttribute("class", list.join(" "));
    }
    remove(...cs) {
      const drop = cs.map(String);
      this._el.setAttribute("class", this._list().filter((c) => !drop.includes(c)).join(" "));
    }
    toggle(c, force) {
      const has = this.contains(c);
      const want = force === undefined ? !has : Boolean(force);
      if (want && !has) this.add(c);
      if (!want && has) this.remove(c);
      return want;
    }
    toString() {
      return this._el.getAttribute("class") || "";
    }
  }

  class Element extends ParentQueries {
    constructor(localName, document) {
      super(ELEMENT, String(localName).toUpperCase(), document);
      this.localName = String(localName).toLowerCase();
      this._attrs = new Map();
      this.style = {};
    }
    get tagName() {
      return this.nodeName;
    }
    get id() {
      return this.getAttribute("id") || "";
    }
    set id(v) {
      this.setAttribute("id", v);
    }
    get className() {
      return this.getAttribute("class") || "";
    }
    set className(v) {
      this.setAttribute("class", v);
    }
    get classList() {
      return new ClassList(this);
    }
    get attributes() {
      return [...this._attrs].map(([name, value]) => ({ name, value }));
    }
    getAttribute(name) {
      const v = this._attrs.get(String(name).toLowerCase());
      return v === undefined ? null : v;
    }
    setAttribute(name, value) {
      this._attrs.set(String(name).toLowerCase(), String(value));
    }
    hasAttribute(name) {
      return this._attrs.has(String(name).toLowerCase());
    }
    removeAttribute(name) {
      this._attrs.delete(String(name).toLowerCase());
    }
    getAttributeNames() {
      return [...this._attrs.keys()];
    }
    get dataset() {
      const out = {};
      for (const [k, v] of this._attrs) {
        if (k.startsWith("data-")) out[k.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
      }
      return out;
    }
    matches(selectors) {
      return parseSelectors(String(selectors)).some((g) => matchesGroup(this, g, null));
    }
    closest(selectors) {
      for (let n = this; n !== null && n.nodeType === ELEMENT; n = n.parentNode) if (n.matches(selectors)) return n;
      return null;
    }
    get innerHTML() {
      return this.childNodes.map((c) => serialize(c, this.localName)).join("");
    }
    set innerHTML(markup) {
      for (const c of this.childNodes) c.parentNode = null;
      this.childNodes = [];
      for (const n of parseFragment(String(markup), this.ownerDocument)) this.appendChild(n);
    }
    get outerHTML() {
      return serialize(this, "");
    }
    // innerText without layout: the text content, with <br> as a line break and block
    // elements separated by newlines.
    get innerText() {
      const parts = [];
      const walk = (n) => {
        if (n.nodeType === TEXT) parts.push(n.data);
        if (n.nodeType !== ELEMENT || RAW_TEXT.has(n.localName)) return;
        if (n.localName === "br") return parts.push("\n");
        const block = /^(p|div|h[1-6]|li|ul|ol|pre|section|article|header|footer|tr|table)$/.test(n.localName);
        if (block && parts.length > 0) parts.push("\n");
        n.childNodes.forEach(walk);
        if (block) parts.push("\n");
      };
      this.childNodes.forEach(walk);
      return parts.join("").replace(/\n+/g, "\n").replace(/^\n|\n$/g, "");
    }
    set innerText(value) {
      this.textContent = value;
    }
    get value() {
      return this.getAttribute("value") || "";
    }
    set value(v) {
      this.setAttribute("value", v);
    }
    getContext() {
      return null;
    }
  }

  class Document extends ParentQueries {
    constructor(url) {
      super(DOCUMENT, "#document", null);
      this.ownerDocument = null;
      this.URL = url;
      this.documentURI = url;
      this.readyState = "loading";
      this.currentScript = null;
      this.defaultView = global;
      this.contentType = "text/html";
      this.characterSet = "UTF-8";
    }
    get documentElement() {
      return this.children[0] || null;
    }
    get head() {
      return this.documentElement?.children.find((c) => c.localName === "head") || null;
    }
    get body() {
      return this.documentElement?.children.find((c) => c.localName === "body") || null;
    }
    get title() {
      const t = this.querySelector("title");
      return t === null ? "" : t.textContent.replace(/\s+/g, " ").trim();
    }
    set title(value) {
      let t = this.querySelector("title");
      if (t === null && this.head !== null) t = this.head.appendChild(this.createElement("title"));
      if (t !== null) t.textContent = value;
    }
    getElementById(id) {
      const want = String(id);
      for (const el of descendants(this)) if (el.getAttribute("id") === want) return el;
      return null;
    }
    createElement(name) {
      return new Element(name, this);
    }
    createTextNode(data) {
      return new Text(data, this);
    }
    createComment(data) {
      return new Comment(data, this);
    }
    createDocumentFragment() {
      return new DocumentFragment(this);
    }
  }

  function domError(message, name) {
    if (typeof global.DOMException === "function") return new global.DOMException(message, name);
    const e = new Error(message);
    e.name = name;
    return e;
  }

  function serialize(node, parentName) {
    if (node.nodeType === TEXT) return RAW_TEXT.has(parentName) ? node.data : escapeText(node.data);
    if (node.nodeType === COMMENT) return `<!--${node.data}-->`;
    if (node.nodeType !== ELEMENT) return node.childNodes.map((c) => serialize(c, "")).join("");
    const attrs = [...node._attrs].map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join("");
    const open = `<${node.localName}${attrs}>`;
    if (VOID.has(node.localName)) return open;
    return `${open}${node.innerHTML}</${node.localName}>`;
  }

  // Builds nodes from the runner's parse: [name, {attrs}, children] for elements, a string
  // for text, {comment} for comments.
  function build(item, document) {
    if (typeof item === "string") return new Text(item, document);
    if (!Array.isArray(item)) return new Comment(item.comment, document);
    const [name, attrs, children] = item;
    const el = new Element(name, document);
    for (const k of Object.keys(attrs)) el._attrs.set(k, attrs[k]);
    for (const c of children) el.appendChild(build(c, document));
    return el;
  }

  function parseFragment(markup, document) {
    if (typeof host.parseHTML !== "function") return [new Text(markup, document)];
    return JSON.parse(host.parseHTML(markup)).map((item) => build(item, document));
  }

  // Selectors 4 subset: compound selectors of type, *, #id, .class, [attr], [attr=value],
  // [attr~=value], [attr^=value], [attr$=value], [attr*=value], joined by descendant (space)
  // or child (>) combinators; comma-separated lists.
  const selectorCache = new Map();
  function parseSelectors(text) {
    const cached = selectorCache.get(text);
    if (cached !== undefined) return cached;
    const groups = text.split(",").map((part) => parseComplex(part.trim(), text));
    selectorCache.set(text, groups);
    return groups;
  }

  function syntaxError(text) {
    return domError(`Failed to execute 'querySelector' on 'Document': '${text}' is not a valid selector.`, "SyntaxError");
  }

  function parseComplex(part, whole) {
    const re = /\s*(>)\s*|\s+|([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[\s*([\w-]+)\s*(?:([~^$*|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+))\s*)?\]/y;
    const steps = [];
    let compound = null;
    let combinator = " ";
    re.lastIndex = 0;
    if (part === "") throw syntaxError(whole);
    while (re.lastIndex < part.length) {
      const start = re.lastIndex;
      const m = re.exec(part);
      if (m === null || re.lastIndex === start) throw syntaxError(whole);
      if (m[1] !== undefined || (m[0].trim() === "" && m[0] !== "")) {
        if (compound !== null) steps.push(compound);
        compound = null;
        combinator = m[1] !== undefined ? ">" : " ";
        continue;
      }
      if (compound === null) compound = { combinator, tag: null, ids: [], classes: [], attrs: [] };
      if (m[2] !== undefined) compound.tag = m[2] === "*" ? null : m[2].toLowerCase();
      else if (m[3] !== undefined) compound.ids.push(m[3]);
      else if (m[4] !== undefined) compound.classes.push(m[4]);
      else compound.attrs.push({ name: m[5].toLowerCase(), op: m[6], value: m[7] ?? m[8] ?? m[9] });
    }
    if (compound === null) throw syntaxError(whole);
    steps.push(compound);
    return steps;
  }

  function matchesCompound(el, c) {
    if (c.tag !== null && el.localName !== c.tag) return false;
    for (const id of c.ids) if (el.getAttribute("id") !== id) return false;
    for (const cls of c.classes) if (!el.classList.contains(cls)) return false;
    for (const a of c.attrs) {
      const v = el.getAttribute(a.name);
      if (v === null) return false;
      if (a.op === undefined) continue;
      const ok = {
        "=": () => v === a.value,
        "~=": () => v.split(/\s+/).includes(a.value),
        "^=": () => a.value !== "" && v.startsWith(a.value),
        "$=": () => a.value !== "" && v.endsWith(a.value),
        "*=": () => a.value !== "" && v.includes(a.value),
        "|=": () => v === a.value || v.startsWith(a.value + "-"),
      }[a.op]();
      if (!ok) return false;
    }
    return true;
  }

  // Right to left; `scope` bounds the ancestors a descendant combinator may use.
  function matchesGroup(el, steps, scope) {
    const walk = (node, i) => {
      if (!matchesCompound(node, steps[i])) return false;
      if (i === 0) return true;
      const comb = steps[i].combinator;
      for (let p = node.parentNode; p !== null && p !== scope && p.nodeType === ELEMENT; p = p.parentNode) {
        if (walk(p, i - 1)) return true;
        if (comb === ">") return false;
      }
      return false;
    };
    return walk(el, steps.length - 1);
  }

  // HTML 4.12.5.1.1 ImageData: RGBA bytes of a width x height bitmap.
  class ImageData {
    #data;
    #width;
    #height;
    constructor(a, b, c, d) {
      if (arguments.length < 2) {
        throw new TypeError(`Failed to construct 'ImageData': 2 arguments required, but only ${arguments.length} present.`);
      }
      if (a instanceof Uint8ClampedArray) {
        const width = b >>> 0;
        if (a.length === 0 || a.length % 4 !== 0) {
          throw domError("Failed to construct 'ImageData': The input data length is not a multiple of 4.", "InvalidStateError");
        }
        if (width === 0) throw domError("Failed to construct 'ImageData': The source width is zero or not a number.", "IndexSizeError");
        const height = c === undefined ? a.length / 4 / width : c >>> 0;
        if (a.length / 4 / width !== height) {
          throw domError("Failed to construct 'ImageData': The input data length is not equal to (4 * width * height).", "IndexSizeError");
        }
        this.#data = a;
        this.#width = width;
        this.#height = height;
      } else {
        const width = Number(a) >>> 0;
        const height = Number(b) >>> 0;
        if (width === 0) throw domError("Failed to construct 'ImageData': The source width is zero or not a number.", "IndexSizeError");
        if (height === 0) throw domError("Failed to construct 'ImageData': The source height is zero or not a number.", "IndexSizeError");
        this.#data = new Uint8ClampedArray(width * height * 4);
        this.#width = width;
        this.#height = height;
      }
      void d;
    }
    get data() {
      return this.#data;
    }
    get width() {
      return this.#width;
    }
    get height() {
      return this.#height;
    }
    get colorSpace() {
      return "srgb";
    }
  }

  function define(name, value) {
    Object.defineProperty(global, name, { value, writable: true, enumerable: false, configurable: true });
  }

  function install(tree, url) {
    const document = new Document(url);
    for (const item of tree) document.appendChild(build(item, document));
    define("document", document);
    if (!("window" in global)) define("window", global);
    for (const [name, cls] of Object.entries({ Node, Element, Text, Comment, Document, DocumentFragment })) {
      if (global[name] === undefined) define(name, cls);
    }
    define("HTMLElement", Element);
    return document;
  }

  define("ImageData", ImageData);
  host.domPreview = (node) => (node.nodeType === ELEMENT ? serialize(node, "").split(">")[0] + ">" : node.nodeName);
  host.dom = Object.freeze({ install, build, parseFragment });
})(globalThis);
