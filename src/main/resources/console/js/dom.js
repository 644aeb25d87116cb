// Building DOM from data without ever parsing it as HTML: every string goes in as a text node or an attribute.

/**
 * h('button', {type: 'button', onclick: fn, class: 'x'}, 'text', child, [children])
 * Attributes: on* are listeners, `class`, `for`, aria-* and data-* are set as attributes, booleans set or omit.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The same for SVG elements (attributes only; no listeners other than on*). */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'value' && 'value' in el && el.namespaceURI !== SVG_NS) {
      el.value = value;
    } else if (key === 'checked' && el instanceof HTMLInputElement) {
      el.checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A <pre> with pretty JSON as text. */
export function json(value, label) {
  return h('pre', {class: 'json', tabindex: '0', 'aria-label': label || 'JSON'},
    value === undefined ? '(none)' : JSON.stringify(value, null, 2));
}

/** "2026-12-07 10:00:00.123" in the browser's zone, with the UTC instant as a title. */
export function time(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const d = new Date(iso);
  return h('time', {datetime: iso, title: iso}, formatLocal(d));
}

export function formatLocal(d) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
    + `:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** 1234 → "1.23 s", 75000 → "1 min 15 s". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

const STATUS_ICON = {
  completed: '✓', failed: '✕', cancelled: '⊘', running: '▶', pending: '…', waiting: '⏸', waited: '⏸',
};

/** A status as an icon and its word (never colour alone). */
export function statusBadge(status) {
  const name = status || 'unknown';
  return h('span', {class: `badge status-${name}`},
    h('span', {'aria-hidden': 'true'}, STATUS_ICON[name] || '•'), ' ', name);
}

/** An error box with the API's message and, for a validation error, each field's problem. */
export function errorBox(err) {
  const details = (err && err.details) || [];
  return h('div', {class: 'error-box', role: 'alert'},
    h('strong', {}, err && err.code ? `${err.code}: ` : 'Error: '),
    (err && err.message) || String(err),
    details.length ? h('ul', {}, details.map(d => h('li', {}, h('code', {}, d.field), ' ', d.message))) : null);
}

/** Announces a message to screen readers (polite). */
export function announce(text) {
  const region = document.getElementById('live-status');
  if (region) region.textContent = text;
}

/** Parses a JSON text field; throws an error naming the field. */
export function parseJsonField(text, name) {
  const trimmed = (text || '').trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch (e) {
    const err = new Error(`${name} is not valid JSON: ${e.message}`);
    err.code = 'invalid_json';
    throw err;
  }
}

/** A labelled form field: label + control (+ hint), ids wired. */
let fieldSeq = 0;
export function field(labelText, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const hintEl = hint ? h('span', {class: 'hint', id: `${id}-hint`}, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', {class: 'field'}, h('label', {for: id}, labelText), control, hintEl);
}

/** A page heading that receives focus after navigation (so screen readers and keyboards start there). */
export function pageTitle(text, ...extra) {
  document.title = `${text} · Orchestrator console`;
  return h('h1', {tabindex: '-1', class: 'page-title'}, text, ...extra);
}

/** A horizontally scrollable box for a wide table: focusable (keyboard scrolling) and named after the caption. */
export function scroller(table) {
  const caption = table.querySelector('caption');
  return h('div', {class: 'table-wrap', tabindex: '0', role: 'region',
    'aria-label': caption ? caption.textContent : 'Table'}, table);
}
