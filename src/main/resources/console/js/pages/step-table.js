// The steps as a table: the graph's text alternative, with where each step goes next.
import {h, scroller}
  from '../dom.js';
import {caseLabel} from '../graph/layout.js';

export function stepTable(steps, extra) {
  return scroller(h('table', {class: 'data compact'},
    h('caption', {class: 'visually-hidden'}, 'Steps and where each goes next'),
    h('thead', {}, h('tr', {}, ['Step', 'Type', 'Details', 'Next', extra ? extra.header : null]
      .filter(Boolean).map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, steps.map(step => h('tr', {},
      h('th', {scope: 'row'}, h('code', {}, step.id)),
      h('td', {}, step.type),
      h('td', {}, details(step)),
      h('td', {}, next(step)),
      extra ? h('td', {}, extra.cell(step)) : null)))));
}

function details(step) {
  if (step.type === 'compute') {
    const retry = step.retry ? `, retry ${step.retry.maxAttempts} attempts` : '';
    return [h('code', {}, step.functionId), retry];
  }
  if (step.type === 'delay') return `${step.delayMs} ms`;
  return `${(step.cases || []).length} case(s)`;
}

function next(step) {
  if (step.type !== 'decision') return step.nextStepId ? h('code', {}, step.nextStepId) : 'end';
  const items = (step.cases || []).map((c, i) => h('li', {}, `${caseLabel(c, i)} → `,
    h('code', {}, c.nextStepId || 'end')));
  items.push(h('li', {}, 'default → ', step.defaultNextStepId ? h('code', {}, step.defaultNextStepId)
    : 'fails with no_matching_case'));
  return h('ul', {class: 'plain'}, items);
}
