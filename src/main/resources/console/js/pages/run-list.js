// A table of runs (List Runs items), shared by an orchestration's runs page and the correlation-id search.
import {h, time, statusBadge, duration} from '../dom.js';
import {link} from '../router.js';

export function runsTable(caption) {
  const body = h('tbody');
  const table = h('table', {class: 'data', id: 'runs-table'},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, ['Run', 'Status', 'Trigger', 'Current step', 'Started', 'Duration', 'Errors',
      'Correlation id'].map(t => h('th', {scope: 'col'}, t)))),
    body);
  return {table, body};
}

export function runRow(run) {
  const end = run.completedAt ? new Date(run.completedAt) : null;
  const took = end ? end - new Date(run.startedAt) : null;
  return h('tr', {'data-run': run.id, 'data-status': run.status},
    h('td', {}, h('a', {href: link(`/orchestrations/${run.orchestrationId}/runs/${run.id}`)}, h('code', {}, run.id))),
    h('td', {}, statusBadge(run.status)),
    h('td', {}, run.triggerType),
    h('td', {}, run.currentStepId ? h('code', {}, run.currentStepId) : '—'),
    h('td', {}, time(run.startedAt)),
    h('td', {}, took === null ? 'running' : duration(took)),
    h('td', {}, run.hasErrors ? h('span', {class: 'has-errors'}, 'yes') : 'no'),
    h('td', {}, run.correlationId ? h('code', {}, run.correlationId) : '—'));
}

/** Newer / older page buttons with "page p of n · total <noun>" (noun plural: runs, functions, operations). */
export function pager(meta, go, noun = 'runs') {
  const pages = Math.max(1, Math.ceil(meta.total / meta.pageSize));
  const prev = h('button', {type: 'button', disabled: meta.page <= 1, onclick: () => go(meta.page - 1)}, '← Newer');
  const next = h('button', {type: 'button', disabled: meta.page >= pages, onclick: () => go(meta.page + 1)}, 'Older →');
  return h('nav', {class: 'pager', 'aria-label': 'Pages'}, prev,
    h('span', {}, `Page ${meta.page} of ${pages} · ${meta.total.toLocaleString('en')} ${noun}`), next);
}
