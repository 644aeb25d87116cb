// An orchestration's runs: filters (status, correlation id, start date range) in the address, a page of runs, kept
// live from GET …/runs/stream (rows update in place; new matching runs appear on the first page), bulk actions on
// the filter.
import * as api from '../api.js';
import {h, errorBox, field, pageTitle, replace, announce, scroller, append}
  from '../dom.js';
import {link, navigate} from '../router.js';
import {stream} from '../sse.js';
import {runsTable, runRow, pager} from './run-list.js';
import {confirmDialog} from '../dialog.js';

const STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 20;

export async function runsPage(main, params, query) {
  const id = params.id;
  const filter = {
    status: query.get('status') || '',
    correlationId: query.get('correlationId') || '',
    from: query.get('from') || '',
    to: query.get('to') || '',
  };
  const page = Math.max(1, Number(query.get('page')) || 1);
  const title = pageTitle('Runs');
  const orchLink = h('a', {href: link(`/orchestrations/${id}`)}, id);
  append(main, title, h('p', {class: 'subtitle'}, 'of orchestration ', orchLink), filterForm(id, filter));
  const message = h('div', {'aria-live': 'polite'});
  const liveNote = h('p', {class: 'live muted', role: 'status'}, 'Connecting live updates…');
  const {table, body} = runsTable('Runs, newest first');
  const pagerBox = h('div');
  append(main, message, liveNote, scroller(table), pagerBox, bulkForm(id, filter));

  api.get(api.paths.orchestration(id)).then(o => { orchLink.textContent = o.name; }).catch(() => {});

  let meta;
  try {
    const answer = await api.get(api.paths.runs(id), {...apiFilter(filter), page, pageSize: PAGE_SIZE});
    meta = answer.meta;
    body.replaceChildren(...answer.data.map(runRow));
    if (!answer.data.length) body.append(h('tr', {}, h('td', {colspan: '8'}, 'No runs match.')));
    replace(pagerBox, pager(meta, p => navigate(`/orchestrations/${id}/runs`, {...filter, page: p})));
    performance.mark('console:runs-first-page'); // read by bench/console-runs.sh
  } catch (e) {
    replace(message, errorBox(e));
    liveNote.remove();
    return;
  }

  const live = stream(api.base() + api.paths.runsStream(id), {
    onOpen: () => { liveNote.textContent = 'Live: runs update as they change.'; },
    onEvent: event => {
      if (event.type !== 'run') return;
      const run = JSON.parse(event.data);
      const existing = body.querySelector(`tr[data-run="${CSS.escape(run.id)}"]`);
      if (existing) {
        existing.replaceWith(runRow(run));
        return;
      }
      if (page === 1 && matches(run, filter)) {
        const empty = body.querySelector('td[colspan]');
        if (empty) empty.parentElement.remove();
        body.prepend(runRow(run));
        while (body.rows.length > PAGE_SIZE) body.lastElementChild.remove();
        meta.total += 1;
        replace(pagerBox, pager(meta, p => navigate(`/orchestrations/${id}/runs`, {...filter, page: p})));
        announce(`New run ${run.id}`);
      }
    },
    onError: e => { liveNote.textContent = `Live updates: ${e.message}`; },
    shouldReconnect: () => true,
  });
  return () => live.stop();
}

function apiFilter(f) {
  return {
    status: f.status || undefined,
    correlationId: f.correlationId || undefined,
    startedAfter: f.from ? new Date(f.from).toISOString() : undefined,
    startedBefore: f.to ? new Date(f.to).toISOString() : undefined,
  };
}

function matches(run, f) {
  const started = new Date(run.startedAt);
  return (!f.status || run.status === f.status) && (!f.correlationId || run.correlationId === f.correlationId)
    && (!f.from || started >= new Date(f.from)) && (!f.to || started < new Date(f.to));
}

function filterForm(id, filter) {
  const status = h('select', {id: 'filter-status'}, h('option', {value: ''}, 'any'),
    STATUSES.map(st => h('option', {value: st}, st)));
  status.value = filter.status;
  const correlation = h('input', {id: 'filter-correlation', type: 'search', value: filter.correlationId,
    autocomplete: 'off'});
  const from = h('input', {id: 'filter-from', type: 'datetime-local', step: '1', value: filter.from});
  const to = h('input', {id: 'filter-to', type: 'datetime-local', step: '1', value: filter.to});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter runs'},
    field('Status', status), field('Correlation id', correlation),
    field('Started from (your time)', from), field('Started before', to),
    h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'primary', id: 'apply-filters'}, 'Filter'),
      h('a', {class: 'button', href: link(`/orchestrations/${id}/runs`)}, 'Clear')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    navigate(`/orchestrations/${id}/runs`, {status: status.value, correlationId: correlation.value.trim(),
      from: from.value, to: to.value});
  });
  return form;
}

function bulkForm(id, filter) {
  const action = h('select', {id: 'bulk-action'}, ['cancel', 'redrive', 'replay']
    .map(a => h('option', {value: a}, a)));
  const message = h('div', {'aria-live': 'polite'});
  const described = Object.entries(apiFilter(filter)).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} = ${v}`).join(', ');
  const form = h('form', {class: 'card form', id: 'bulk'},
    h('h2', {}, 'Bulk action on these runs'),
    h('p', {}, described ? `Acts on every run matching: ${described} (not only this page).`
      : 'Set a filter first: a bulk action needs at least one.'),
    field('Action', action),
    h('button', {type: 'submit', disabled: !described}, 'Start bulk action…'),
    message);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const ok = await confirmDialog({title: `Bulk ${action.value}`, confirmLabel: `Start bulk ${action.value}`,
      message: `${action.value} every run matching ${described}? Runs it does not apply to are skipped.`});
    if (!ok) return;
    try {
      const op = await api.post(api.paths.bulk(id), {action: action.value, filter: apiFilter(filter)});
      navigate(`/bulk-operations/${op.id}`);
    } catch (e) {
      replace(message, errorBox(e));
    }
  });
  return form;
}
