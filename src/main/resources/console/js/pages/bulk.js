// Bulk operations (POST …/runs/bulk starts one from an orchestration's runs page): the list, newest first, and one
// operation's progress, polled every second while it runs.
import * as api from '../api.js';
import {h, errorBox, time, pageTitle, replace, json, scroller, append}
  from '../dom.js';
import {link, navigate} from '../router.js';
import {pager} from './run-list.js';

export async function bulkOperationsPage(main, params, query) {
  const page = Math.max(1, Number(query.get('page')) || 1);
  const box = h('div', {'aria-live': 'polite'});
  append(main, pageTitle('Bulk operations'),
    h('p', {}, 'Cancel, redrive or replay many runs at once: start one from an orchestration\u2019s runs page with a ',
      'filter. Kept for 7 days.'), box);
  const load = async () => {
    try {
      const answer = await api.get(api.paths.bulkOperations(), {page, pageSize: 20});
      if (!answer.data.length) {
        replace(box, h('p', {}, 'No bulk operation in the last 7 days.'));
        return answer;
      }
      replace(box, scroller(h('table', {class: 'data'},
        h('caption', {class: 'visually-hidden'}, 'Bulk operations, newest first'),
        h('thead', {}, h('tr', {}, ['Operation', 'Action', 'Orchestration', 'Progress', 'Status', 'Started', 'By']
          .map(t => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, answer.data.map(op => h('tr', {},
          h('td', {}, h('a', {href: link(`/bulk-operations/${op.id}`)}, h('code', {}, op.id))),
          h('td', {}, op.action),
          h('td', {}, h('a', {href: link(`/orchestrations/${op.orchestrationId}/runs`)}, op.orchestrationId)),
          h('td', {}, progress(op)),
          h('td', {}, op.status),
          h('td', {}, time(op.createdAt)),
          h('td', {}, op.createdBy)))))),
      pager({...answer.meta}, p => navigate('/bulk-operations', {page: p}), 'operations'));
      return answer;
    } catch (e) {
      replace(box, errorBox(e));
      return null;
    }
  };
  const first = await load();
  if (!first || !first.data.some(op => op.status === 'running')) return undefined;
  const timer = setInterval(load, 2000);
  return () => clearInterval(timer);
}

export async function bulkOperationPage(main, params) {
  const box = h('div');
  append(main, pageTitle(`Bulk operation ${params.bulkId}`), box);
  let timer = null;
  const load = async () => {
    try {
      const op = await api.get(api.paths.bulkOperation(params.bulkId));
      replace(box, h('dl', {class: 'facts'},
        h('dt', {}, 'Action'), h('dd', {}, op.action),
        h('dt', {}, 'Orchestration'), h('dd', {}, h('a', {href: link(`/orchestrations/${op.orchestrationId}/runs`)},
          op.orchestrationId)),
        h('dt', {}, 'Status'), h('dd', {}, op.status),
        h('dt', {}, 'Progress'), h('dd', {}, progress(op)),
        h('dt', {}, 'Matched'), h('dd', {}, String(op.matched)),
        h('dt', {}, 'Succeeded'), h('dd', {}, String(op.succeeded ?? 0)),
        h('dt', {}, 'Skipped'), h('dd', {}, String(op.skipped ?? 0)),
        h('dt', {}, 'Failed'), h('dd', {}, String(op.failed ?? 0)),
        h('dt', {}, 'Started'), h('dd', {}, time(op.createdAt), op.createdBy ? ` by ${op.createdBy}` : ''),
        h('dt', {}, 'Completed'), h('dd', {}, time(op.completedAt))),
      h('h2', {}, 'Filter'), json(op.filter, 'Filter'));
      if (op.status !== 'running' && timer) {
        clearInterval(timer);
        timer = null;
      }
      return op;
    } catch (e) {
      replace(box, errorBox(e));
      return null;
    }
  };
  const op = await load();
  if (op && op.status === 'running') timer = setInterval(load, 1000);
  return () => { if (timer) clearInterval(timer); };
}

function progress(op) {
  const done = (op.succeeded || 0) + (op.skipped || 0) + (op.failed || 0);
  const max = Math.max(1, op.matched || 0);
  const text = `${done} of ${op.matched || 0} done`;
  return h('span', {class: 'progress'}, h('progress', {max: String(max), value: String(Math.min(done, max)),
    'aria-label': `Progress: ${text}`}), ' ', text);
}
