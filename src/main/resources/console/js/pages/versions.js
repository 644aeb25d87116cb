// Versions: the saved versions, newest first, and two of them side by side with their differences marked.
import * as api from '../api.js';
import {h, errorBox, time, field, replace, scroller}
  from '../dom.js';
import {diffLines} from '../diff.js';

export function versionsSection(orch) {
  const section = h('section', {id: 'versions', 'aria-labelledby': 'versions-h'}, h('h2', {id: 'versions-h'}, 'Versions'));
  const box = h('div', {}, h('p', {class: 'muted'}, 'Loading versions…'));
  section.append(box);
  load(orch, box);
  return section;
}

async function load(orch, box) {
  let versions;
  try {
    versions = (await api.get(api.paths.versions(orch.id), {page: 1, pageSize: 100})).data;
  } catch (e) {
    replace(box, errorBox(e));
    return;
  }
  if (versions.length === 1) {
    replace(box, h('p', {}, `Only version ${versions[0].version} so far, saved `, time(versions[0].updatedAt),
      ` by ${versions[0].updatedBy}. Each update saves a new version; two can then be compared here side by side.`));
    return;
  }
  const options = () => versions.map(v => h('option', {value: String(v.version)},
    `v${v.version} · ${v.updatedBy} · ${new Date(v.updatedAt).toLocaleString()}`));
  const left = h('select', {id: 'diff-left'}, options());
  const right = h('select', {id: 'diff-right'}, options());
  right.value = String(versions[0].version);
  left.value = String((versions[1] || versions[0]).version);
  const view = h('div', {'aria-live': 'polite'});
  const compare = async () => {
    replace(view, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const [a, b] = await Promise.all([left.value, right.value].map(n => api.get(api.paths.version(orch.id, n))));
      replace(view, sideBySide(a, b));
    } catch (e) {
      replace(view, errorBox(e));
    }
  };
  left.addEventListener('change', compare);
  right.addEventListener('change', compare);
  replace(box,
    h('table', {class: 'data compact'},
      h('caption', {class: 'visually-hidden'}, 'Saved versions'),
      h('thead', {}, h('tr', {}, ['Version', 'Saved', 'By', 'Active'].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, versions.slice(0, 10).map(v => h('tr', {}, h('td', {}, `v${v.version}`), h('td', {}, time(v.updatedAt)),
        h('td', {}, v.updatedBy), h('td', {}, v.isActive ? 'yes' : 'no'))))),
    versions.length > 10 ? h('p', {class: 'muted'}, `${versions.length - 10} older versions are in the pickers below.`)
      : null,
    h('div', {class: 'toolbar'}, field('Compare', left), field('with', right)),
    view);
  compare();
}

function definitionText(v) {
  return JSON.stringify({name: v.name, description: v.description ?? null, isActive: v.isActive, trigger: v.trigger,
    steps: v.steps}, null, 2).split('\n');
}

function sideBySide(a, b) {
  const rows = diffLines(definitionText(a), definitionText(b));
  const changed = rows.filter(r => r.kind !== 'same').length;
  const mark = {same: ' ', changed: '~', removed: '−', added: '+'};
  return h('div', {},
    h('p', {}, changed ? `${changed} line(s) differ between v${a.version} and v${b.version} ` +
      '(marked − removed, + added, ~ changed).' : `v${a.version} and v${b.version} are the same definition.`),
    scroller(h('table', {class: 'diff'},
      h('caption', {class: 'visually-hidden'}, `Version ${a.version} beside version ${b.version}`),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col', colspan: '2'}, `v${a.version}`),
        h('th', {scope: 'col', colspan: '2'}, `v${b.version}`))),
      h('tbody', {}, rows.map(r => h('tr', {class: `diff-${r.kind}`},
        h('td', {class: 'ln'}, r.left ? String(r.left.n) : ''),
        h('td', {class: 'code'}, r.left ? `${mark[r.kind === 'added' ? 'same' : r.kind]} ${r.left.text}` : ''),
        h('td', {class: 'ln'}, r.right ? String(r.right.n) : ''),
        h('td', {class: 'code'}, r.right ? `${mark[r.kind === 'removed' ? 'same' : r.kind]} ${r.right.text}` : '')))))));
}
