// The test panel: simulate a version with editable input, context and mocks; the path taken is drawn on the graph.
import * as api from '../api.js';
import {h, errorBox, json, field, parseJsonField, replace, statusBadge, announce} from '../dom.js';
import {takenEdges} from '../graph/draw.js';

export function testPanel(orch, showGraph) {
  const mocks = {};
  orch.steps.filter(s => s.type === 'compute').forEach(s => { mocks[s.id] = {output: {}}; });
  const input = h('textarea', {id: 'sim-input', rows: '4', class: 'mono', spellcheck: 'false'}, '{}');
  const context = h('textarea', {id: 'sim-context', rows: '3', class: 'mono', spellcheck: 'false'}, '{}');
  const mocksInput = h('textarea', {id: 'sim-mocks', rows: '8', class: 'mono', spellcheck: 'false'},
    JSON.stringify(mocks, null, 2));
  const version = h('input', {id: 'sim-version', type: 'number', min: '1', value: String(orch.version)});
  const result = h('div', {'aria-live': 'polite', id: 'sim-result'});
  const form = h('form', {class: 'card form', id: 'test'},
    h('h2', {id: 'test-h'}, 'Test (simulate)'),
    h('p', {}, 'Runs the graph in memory: no function is called, no delay waited, nothing stored. Mocks answer ',
      'for compute steps: ', h('code', {}, '{"step": {"output": {…}}}'), ', ', h('code', {},
        '{"step": {"error": {"code": "http_500", "message": "down"}}}'), ' or an array, one entry per attempt.'),
    h('div', {class: 'grid-2'}, field('Input (JSON object)', input), field('Context (JSON object)', context)),
    field('Mocks (JSON object)', mocksInput),
    field('Version', version),
    h('button', {type: 'submit', class: 'primary', id: 'simulate'}, 'Run simulation'),
    result);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const body = {
        input: parseJsonField(input.value, 'Input') || {},
        context: parseJsonField(context.value, 'Context') || {},
        mocks: parseJsonField(mocksInput.value, 'Mocks') || {},
      };
      if (version.value) body.version = Number(version.value);
      const sim = await api.post(api.paths.simulate(orch.id), body);
      const states = new Map();
      sim.executedSteps.forEach(id => states.set(id, 'visited'));
      const failed = sim.status === 'failed' ? sim.executedSteps[sim.executedSteps.length - 1] : null;
      if (failed) states.set(failed, 'failed');
      showGraph(states, takenEdges(sim.executedSteps, orch.steps, sim.status === 'completed'),
        `simulated path: ${sim.executedSteps.join(' → ')}`);
      replace(result, simulation(sim));
      announce(`Simulation ${sim.status}: ${sim.executedSteps.join(', ')}`);
    } catch (e) {
      replace(result, errorBox(e));
    }
  });
  return form;
}

function simulation(sim) {
  return h('div', {class: 'sim'},
    h('h3', {}, 'Result ', statusBadge(sim.status)),
    h('p', {}, 'Path: ', h('span', {class: 'path', id: 'sim-path'}, sim.executedSteps.join(' → '))),
    sim.decisions.length ? h('div', {}, h('h4', {}, 'Decisions'), h('ul', {}, sim.decisions.map(d => h('li', {},
      h('code', {}, d.stepId), ': ', d.matchedCase === null ? 'default' : `case ${d.matchedCase + 1}`, ' → ',
      d.nextStepId ? h('code', {}, d.nextStepId) : 'no next step')))) : null,
    sim.delays.length ? h('div', {}, h('h4', {}, 'Delays (not waited)'), h('ul', {}, sim.delays.map(d => h('li', {},
      h('code', {}, d.stepId), `: ${d.delayMs} ms`)))) : null,
    sim.errors.length ? h('div', {}, h('h4', {}, 'Errors'), h('ul', {}, sim.errors.map(e => h('li', {},
      h('code', {}, e.stepId), ` attempt ${e.attempt}: ${e.code}: ${e.message}`)))) : null,
    h('details', {}, h('summary', {}, 'Step outputs and context'), json(sim.stepOutputs, 'Step outputs'),
      json(sim.context, 'Context')));
}
