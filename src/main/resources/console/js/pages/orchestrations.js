// Orchestrations: every orchestration of the workspace (up to 1,000, fetched a page of 100 at a time), filtered as
// you type by name, slug or id, each with its trigger and an Active switch.
import * as api from '../api.js';
import {h, errorBox, time, pageTitle, announce, field, scroller, append}
  from '../dom.js';
import {link} from '../router.js';
import {triggerSummary} from './trigger-view.js';

const MAX_PAGES = 10;

export async function orchestrationsPage(main, params, query) {
  const search = h('input', {type: 'search', id: 'orch-search', value: query.get('q') || '', autocomplete: 'off'});
  const status = h('div', {'aria-live': 'polite'});
  const body = h('tbody');
  const table = h('table', {class: 'data'},
    h('caption', {class: 'visually-hidden'}, 'Orchestrations'),
    h('thead', {}, h('tr', {}, ['Name', 'Slug', 'Trigger', 'Version', 'Active', 'Updated']
      .map(t => h('th', {scope: 'col'}, t)))),
    body);
  append(main, pageTitle('Orchestrations'),
    h('div', {class: 'toolbar'}, field('Search by name, slug or id', search)),
    status, scroller(table));

  let all = [];
  try {
    all = await fetchAll();
  } catch (e) {
    status.replaceChildren(errorBox(e));
    return;
  }
  const renderRows = () => {
    const q = search.value.trim().toLowerCase();
    const rows = all.filter(o => !q || [o.name, o.slug, o.id].some(v => String(v).toLowerCase().includes(q)));
    body.replaceChildren(...rows.map(o => row(o, status)));
    const text = all.length === 0 ? 'No orchestrations yet: create one through the API (see the README).'
      : `${rows.length} of ${all.length} orchestrations`;
    status.replaceChildren(h('p', {class: 'muted'}, text));
  };
  search.addEventListener('input', () => {
    history.replaceState(null, '', link('/orchestrations', {q: search.value}));
    renderRows();
  });
  renderRows();
}

async function fetchAll() {
  const items = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await api.get(api.paths.orchestrations(), {page, pageSize: 100, sort: 'name', order: 'asc'});
    items.push(...answer.data);
    if (items.length >= answer.meta.total || answer.data.length === 0) break;
  }
  return items;
}

function row(o, status) {
  const toggle = h('input', {type: 'checkbox', role: 'switch', checked: o.isActive,
    'aria-label': `Active: ${o.name}`});
  toggle.addEventListener('change', async () => {
    toggle.disabled = true;
    try {
      const updated = await setActive(o.id, toggle.checked);
      o.isActive = updated.isActive;
      o.version = updated.version;
      versionCell.textContent = String(updated.version);
      announce(`${o.name} is now ${o.isActive ? 'active' : 'inactive'}`);
    } catch (e) {
      toggle.checked = o.isActive;
      status.replaceChildren(errorBox(e));
    } finally {
      toggle.disabled = false;
    }
  });
  const versionCell = h('td', {}, String(o.version));
  return h('tr', {},
    h('td', {}, h('a', {href: link(`/orchestrations/${o.id}`)}, o.name)),
    h('td', {}, h('code', {}, o.slug)),
    h('td', {}, triggerSummary(o.trigger)),
    versionCell,
    h('td', {}, h('label', {class: 'switch'}, toggle, h('span', {'aria-hidden': 'true'}, o.isActive ? 'on' : 'off'))),
    h('td', {}, time(o.updatedAt)));
}

/** Reads the current definition and saves it with isActive changed (If-Match: a concurrent edit answers 412). */
export async function setActive(id, active) {
  const current = await api.get(api.paths.orchestration(id));
  const body = {name: current.name, description: current.description ?? null, isActive: active,
    trigger: current.trigger, steps: current.steps};
  return api.put(api.paths.orchestration(id), body, {headers: {'If-Match': current.$etag || `"${current.version}"`}});
}
