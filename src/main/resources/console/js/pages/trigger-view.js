// A trigger in words, and its full description list.
import {h, time} from '../dom.js';

export function triggerSummary(t) {
  if (!t) return '—';
  switch (t.type) {
    case 'scheduled':
      if (t.scheduleType === 'cron') return `cron ${t.cronExpression}${t.timezone ? ` (${t.timezone})` : ''}`;
      if (t.scheduleType === 'interval') return `every ${t.interval} ms`;
      return `once at ${t.scheduledAt}`;
    case 'event-driven':
      return `event ${t.eventType}${t.structureSlug ? ` on ${t.structureSlug}` : ''}`;
    case 'http-trigger':
      return `HTTP POST …/http-triggers${t.path}`;
    default:
      return t.type;
  }
}

export function triggerDetails(t) {
  const rows = Object.entries(t || {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  return h('dl', {class: 'facts'}, rows.flatMap(([k, v]) => [h('dt', {}, k),
    h('dd', {}, k === 'scheduledAt' ? time(v) : v)]));
}
