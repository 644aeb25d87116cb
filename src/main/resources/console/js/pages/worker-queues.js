// Worker queues: depth and the age of the oldest waiting task, refreshed every 5 seconds.
import * as api from '../api.js';
import {h, errorBox, duration, pageTitle, replace, scroller, append}
  from '../dom.js';

export async function workerQueuesPage(main) {
  const box = h('div', {'aria-live': 'polite'});
  const updated = h('p', {class: 'muted'});
  append(main, pageTitle('Worker queues'),
    h('p', {}, 'Queues of pull-based worker functions: tasks waiting for a worker (leased ones are not counted) and ',
      'how long the oldest has waited.'), updated, box);
  const load = async () => {
    try {
      const answer = await api.get(api.paths.workerQueues());
      if (!answer.data.length) {
        replace(box, h('p', {}, 'No worker queue has held a task yet.'));
      } else {
        replace(box, scroller(h('table', {class: 'data'},
          h('caption', {class: 'visually-hidden'}, 'Worker queues'),
          h('thead', {}, h('tr', {}, ['Queue', 'Depth', 'Oldest waiting task'].map(t => h('th', {scope: 'col'}, t)))),
          h('tbody', {}, answer.data.map(q => h('tr', {}, h('td', {}, h('code', {}, q.queue)),
            h('td', {class: 'num'}, String(q.depth)), h('td', {}, q.depth ? duration(q.oldestAgeMs) : '—')))))));
      }
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every 5 s.`;
    } catch (e) {
      replace(box, errorBox(e));
    }
  };
  await load();
  const timer = setInterval(load, 5000);
  return () => clearInterval(timer);
}
