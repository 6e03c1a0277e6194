// Building the page. Text from pods and the API only ever goes into the page through text nodes (textContent,
// append) and attributes set with setAttribute: never through innerHTML.

export const $ = (id) => document.getElementById(id);

/** An element with the given attributes and children; strings become text nodes, never markup. */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An empty value: a dash to the eye, "none" to a screen reader. */
export function none() {
  return h('span', { class: 'none' }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, 'none'));
}

export function text(value) {
  return value == null || value === '' ? none() : String(value);
}

/** Sets a node's text only when it differs, so a screen reader does not hear it again. */
export function setText(node, value) {
  if (node.textContent !== value) node.textContent = value;
}

/** Makes parent's children exactly the given nodes, in order, moving only those out of place. */
export function syncChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.children]) if (!wanted.has(child)) child.remove();
  let current = parent.firstElementChild;
  for (const node of nodes) {
    if (node === current) {
      current = current.nextElementSibling;
    } else {
      parent.insertBefore(node, current);
    }
  }
}

export function announce(message) {
  $('announcer').textContent = message;
}
