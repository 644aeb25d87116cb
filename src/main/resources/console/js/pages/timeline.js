// The run's timeline: one row per executed step with start, end and duration (a delay reads as a wait), and a bar
// on a common time axis.
import {h, s, time, duration, statusBadge, scroller}
  from '../dom.js';

export function timelineTable(run) {
  const entries = run.timeline || [];
  if (!entries.length) return h('p', {class: 'muted'}, 'Nothing has run yet.');
  const now = Date.now();
  const t0 = new Date(run.startedAt).getTime();
  const ends = entries.map(e => (e.completedAt ? new Date(e.completedAt).getTime() : now));
  const span = Math.max(1, Math.max(...ends, t0 + 1) - t0);
  return scroller(h('table', {class: 'data compact', id: 'timeline'},
    h('caption', {class: 'visually-hidden'}, 'Timeline of executed steps'),
    h('thead', {}, h('tr', {}, ['#', 'Step', 'Type', 'Started', 'Ended', 'Duration', 'Outcome', 'When']
      .map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, entries.map((e, i) => {
      const start = new Date(e.startedAt).getTime();
      const end = ends[i];
      const took = end - start;
      const waited = e.type === 'delay';
      const outcome = e.completedAt === null ? (e.outcome === 'waited' ? 'waiting' : 'running') : e.outcome;
      return h('tr', {class: waited ? 'wait' : ''},
        h('td', {}, String(i + 1)),
        h('td', {}, h('code', {}, e.stepId)),
        h('td', {}, e.type || '—'),
        h('td', {}, time(e.startedAt)),
        h('td', {}, e.completedAt ? time(e.completedAt) : 'in progress'),
        h('td', {}, waited ? `waited ${duration(took)}` : duration(took)),
        h('td', {}, statusBadge(outcome || 'running')),
        h('td', {class: 'bar-cell'}, bar((start - t0) / span, took / span, outcome, waited)));
    }))));
}

function bar(from, width, outcome, waited) {
  const w = 120;
  const x = Math.max(0, Math.min(w - 2, from * w));
  return s('svg', {width: w, height: 12, viewBox: `0 0 ${w} 12`, 'aria-hidden': 'true', class: 'bar'},
    s('rect', {x: 0, y: 5, width: w, height: 2, class: 'bar-axis'}),
    s('rect', {x, y: 1, width: Math.max(2, Math.min(w - x, width * w)), height: 10,
      class: `bar-fill ${waited ? 'bar-wait' : `bar-${outcome || 'running'}`}`}));
}
