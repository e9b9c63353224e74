// A few helpers instead of a framework: create elements with text (never HTML from data, so what
// the server sends cannot become markup), and the stock badge both pages share.

/** h('td', { class: 'num' }, 12) → <td class="num">12</td>. Children: nodes, strings, numbers, arrays, null. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

const BADGE_TEXT = { IN_STOCK: 'IN STOCK', LIMITED: 'LIMITED', OUT_OF_STOCK: 'OUT OF STOCK' };

export function badge(status) {
  return h(
    'span',
    { class: `badge badge-${String(status).toLowerCase().replaceAll('_', '-')}`, 'data-status': status },
    BADGE_TEXT[status] ?? status,
  );
}

export function time(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return h('time', { datetime: iso }, date.toLocaleTimeString());
}

/** Announces a message to screen readers and shows it (role=status regions are polite). */
export function say(region, message, tone = 'info') {
  region.dataset.tone = tone;
  region.textContent = message;
}
