// SECURITY: everything that comes from the server (pupil, bot and adviser text, summaries, names,
// error messages) goes into the page as text only: through el() and setText() here, which use
// text nodes and textContent. No module of the console assigns innerHTML, outerHTML or
// insertAdjacentHTML (a test reads every file for them).

/** The element with this id, of this kind; a page without it is a bug worth failing on at once. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T; prototype: T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`adviser console: no ${kind.name} #${id} in the page`);
  return node;
}

/** Makes an element with a class and text; text always goes in as a text node. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string | null, text?: string | number | null): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.appendChild(document.createTextNode(String(text)));
  return node;
}

export function setText(node: Node, text: string | number | null | undefined): void {
  const value = text === undefined || text === null ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** Says something to screen reader users once (the page's polite live region), emptied first so a repeat is said again. */
export function announce(region: HTMLElement, text: string): void {
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 50);
}

/** True while the keyboard is in a place that types (where a one-key shortcut must not act). */
export function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}
