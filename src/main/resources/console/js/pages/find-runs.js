// Find runs by correlation id across the workspace's orchestrations (GET /runs?correlationId=…).
import * as api from '../api.js';
import {h, errorBox, field, pageTitle, replace, scroller, append}
  from '../dom.js';
import {navigate} from '../router.js';
import {runsTable, runRow, pager} from './run-list.js';

export async function findRunsPage(main, params, query) {
  const correlationId = query.get('correlationId') || '';
  const page = Math.max(1, Number(query.get('page')) || 1);
  const input = h('input', {id: 'find-correlation', type: 'search', value: correlationId, required: true,
    autocomplete: 'off'});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'Find runs by correlation id'},
    field('Correlation id', input), h('div', {class: 'filter-actions'}, h('button', {type: 'submit', class: 'primary'},
      'Find')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    navigate('/runs', {correlationId: input.value.trim()});
  });
  const result = h('div', {'aria-live': 'polite'});
  append(main, pageTitle('Find runs'), h('p', {}, 'Every run of one correlation id, whichever orchestration ran it.'),
    form, result);
  if (!correlationId) return;
  try {
    const answer = await api.get(api.paths.workspaceRuns(), {correlationId, page, pageSize: 20});
    const {table, body} = runsTable(`Runs with correlation id ${correlationId}`);
    body.append(...answer.data.map(runRow));
    if (!answer.data.length) body.append(h('tr', {}, h('td', {colspan: '8'}, 'No runs have this correlation id.')));
    replace(result, scroller(table),
      pager(answer.meta, p => navigate('/runs', {correlationId, page: p})));
  } catch (e) {
    replace(result, errorBox(e));
  }
}
