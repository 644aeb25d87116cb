// One orchestration: its graph, steps, trigger (with the next fires of a schedule), a manual trigger, versions side
// by side and the test panel (simulate).
import * as api from '../api.js';
import {h, errorBox, time, pageTitle, field, parseJsonField, replace, append}
  from '../dom.js';
import {link, navigate} from '../router.js';
import {drawGraph} from '../graph/draw.js';
import {triggerSummary, triggerDetails} from './trigger-view.js';
import {stepTable} from './step-table.js';
import {versionsSection} from './versions.js';
import {testPanel} from './test-panel.js';

export async function orchestrationPage(main, params) {
  let orch;
  try {
    orch = await api.get(api.paths.orchestration(params.id));
  } catch (e) {
    append(main, pageTitle('Orchestration'), errorBox(e));
    return;
  }
  const graphBox = h('div', {class: 'graph-box', id: 'graph'});
  const showGraph = (states, taken, caption) => {
    replace(graphBox, drawGraph(orch.steps, {label: `Step graph of ${orch.name}${caption ? `, ${caption}` : ''}`,
      states, taken}));
    if (caption) graphBox.append(h('p', {class: 'graph-caption'}, caption));
  };
  showGraph();

  append(main, 
    pageTitle(orch.name),
    h('p', {class: 'subtitle'}, h('code', {}, orch.slug), ' · ', h('code', {}, orch.id), ` · version ${orch.version} · `,
      orch.isActive ? 'active' : 'inactive'),
    orch.description ? h('p', {}, orch.description) : null,
    h('div', {class: 'toolbar'},
      h('a', {class: 'button', href: link(`/orchestrations/${orch.id}/runs`)}, 'Runs'),
      h('a', {class: 'button', href: '#versions', onclick: jump('versions')}, 'Versions'),
      h('a', {class: 'button', href: '#test', onclick: jump('test')}, 'Test (simulate)')),
    h('section', {'aria-labelledby': 'graph-h'},
      h('h2', {id: 'graph-h'}, 'Steps'),
      h('p', {class: 'legend'}, 'Rectangles are compute steps, diamonds decisions, rounded bars delays; the first ',
        'step is the entry.'),
      graphBox,
      h('details', {}, h('summary', {}, 'Steps as a table'), stepTable(orch.steps))),
    h('section', {'aria-labelledby': 'trigger-h'},
      h('h2', {id: 'trigger-h'}, 'Trigger'),
      h('p', {}, triggerSummary(orch.trigger)),
      Object.keys(orch.trigger || {}).length > 1 ? triggerDetails(orch.trigger) : null,
      orch.trigger && orch.trigger.type === 'scheduled' ? nextFires(orch) : null),
    triggerForm(orch),
    versionsSection(orch),
    testPanel(orch, showGraph));
}

/** In-page jumps without touching the hash (which holds the route). */
function jump(id) {
  return ev => {
    ev.preventDefault();
    const target = document.getElementById(id);
    if (target) {
      target.scrollIntoView();
      const heading = target.querySelector('h2');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  };
}

function nextFires(orch) {
  const box = h('div', {}, h('p', {class: 'muted'}, 'Loading the next fires…'));
  api.get(api.paths.scheduleNext(orch.id), {count: 5}).then(answer => {
    if (!answer.next.length) {
      replace(box, h('p', {}, 'No upcoming fires (inactive, or a one-off schedule that already fired).'));
      return;
    }
    replace(box, h('h3', {}, 'Next fires'), h('table', {class: 'data compact'},
      h('thead', {}, h('tr', {}, ['When (your time)', 'Local time of the schedule', 'Note']
        .map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, answer.next.map(f => h('tr', {}, h('td', {}, time(f.at)), h('td', {}, h('code', {}, f.localTime)),
        h('td', {}, f.note === 'dst-gap' ? 'moved past a DST gap' : f.note === 'dst-overlap'
          ? 'first of two DST occurrences' : ''))))));
  }).catch(e => replace(box, errorBox(e)));
  return box;
}

function triggerForm(orch) {
  const input = h('textarea', {id: 'trigger-input', rows: '4', class: 'mono', spellcheck: 'false'}, '{}');
  const correlation = h('input', {id: 'trigger-correlation', type: 'text', autocomplete: 'off'});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'card form', id: 'trigger'},
    h('h2', {id: 'trigger-run-h'}, 'Trigger a run'),
    orch.isActive ? null : h('p', {class: 'notice'}, 'This orchestration is inactive: the API refuses new runs.'),
    field('Input (JSON object)', input),
    field('Correlation id (optional)', correlation),
    h('button', {type: 'submit', class: 'primary', id: 'trigger-run'}, 'Trigger run'),
    message);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const body = {input: parseJsonField(input.value, 'Input') || {}};
      if (correlation.value.trim()) body.correlationId = correlation.value.trim();
      const run = await api.post(api.paths.trigger(orch.id), body);
      navigate(`/orchestrations/${orch.id}/runs/${run.id}`);
    } catch (e) {
      replace(message, errorBox(e));
    }
  });
  return form;
}
