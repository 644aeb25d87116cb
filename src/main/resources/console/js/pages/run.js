// One run: status and why it failed, the graph coloured by step outcome, the timeline, each step's output and every
// attempt's error, input, context, trigger metadata, and cancel / redrive / replay. Live from GET …/runs/{id}/stream
// until the run ends (and again after a redrive).
import * as api from '../api.js';
import {h, errorBox, time, duration, pageTitle, statusBadge, json, field, parseJsonField, replace, announce, append}
  from '../dom.js';
import {link, navigate} from '../router.js';
import {stream} from '../sse.js';
import {drawGraph, takenEdges} from '../graph/draw.js';
import {confirmDialog} from '../dialog.js';
import {timelineTable} from './timeline.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export async function runPage(main, params) {
  const {id, runId} = params;
  let run;
  try {
    run = await api.get(api.paths.run(id, runId));
  } catch (e) {
    append(main, pageTitle(`Run ${runId}`), errorBox(e));
    return;
  }
  let steps = [];
  try {
    steps = (await api.get(api.paths.version(run.orchestrationId, run.orchestrationVersion))).steps;
  } catch (e) {
    steps = [];
  }

  const message = h('div', {'aria-live': 'assertive'});
  const liveNote = h('p', {class: 'live muted', role: 'status'});
  const summary = h('div');
  const failure = h('div');
  const graphBox = h('div', {class: 'graph-box', id: 'graph'});
  const timelineBox = h('div');
  const stepsBox = h('div');
  const dataBox = h('div');
  const buttons = actionButtons();
  append(main, pageTitle(`Run ${runId}`),
    h('p', {class: 'subtitle'}, 'of ', h('a', {href: link(`/orchestrations/${id}/runs`)}, `${id} runs`)),
    summary, h('div', {class: 'toolbar', role: 'group', 'aria-label': 'Run actions'}, buttons.cancel,
      buttons.redrive, buttons.replay), message, liveNote, failure,
    h('section', {'aria-labelledby': 'rg-h'}, h('h2', {id: 'rg-h'}, 'Steps'), graphBox),
    h('section', {'aria-labelledby': 'tl-h'}, h('h2', {id: 'tl-h'}, 'Timeline'), timelineBox),
    h('section', {'aria-labelledby': 'sd-h'}, h('h2', {id: 'sd-h'}, 'Step details'), stepsBox),
    h('section', {'aria-labelledby': 'data-h'}, h('h2', {id: 'data-h'}, 'Input, context and trigger'), dataBox));

  let pending = false;
  const render = () => {
    pending = false;
    const open = new Set([...stepsBox.querySelectorAll('details[open]')].map(d => d.dataset.step));
    replace(summary, summaryList(run));
    replace(failure, failureBox(run));
    replace(graphBox, drawGraph(steps, {label: `Steps of run ${run.id}, coloured by outcome`,
      states: stepStates(run), taken: takenEdges(run.executedSteps, steps, run.status === 'completed'),
      onSelect: openStep}));
    replace(timelineBox, timelineTable(run));
    replace(stepsBox, stepDetails(run, steps, open));
    replace(dataBox, h('div', {class: 'grid-2'},
      h('div', {}, h('h3', {}, 'Input'), json(run.input, 'Run input')),
      h('div', {}, h('h3', {}, 'Context'), json(run.context, 'Run context')),
      h('div', {}, h('h3', {}, `Trigger: ${run.triggerType}`), json(run.triggerMetadata, 'Trigger metadata'),
        run.replayOf ? h('p', {}, 'Replay of ', h('a', {href: link(`/orchestrations/${id}/runs/${run.replayOf}`)},
          run.replayOf)) : null),
      run.redrives && run.redrives.length ? h('div', {}, h('h3', {}, 'Redrives'), h('ul', {}, run.redrives.map(r =>
        h('li', {}, time(r.at), ` by ${r.by}, from step `, h('code', {}, r.fromStepId))))) : null));
    buttons.cancel.hidden = TERMINAL.has(run.status);
    buttons.redrive.hidden = !(run.status === 'failed' || run.status === 'cancelled');
  };
  const update = next => {
    const was = run.status;
    run = next;
    if (was !== run.status) announce(`Run ${run.status}`);
    if (!pending) {
      pending = true;
      requestAnimationFrame(render);
    }
  };
  render();

  let live = null;
  const follow = () => {
    if (live) live.stop();
    if (TERMINAL.has(run.status)) {
      liveNote.textContent = `The run finished: ${run.status}.`;
      return;
    }
    liveNote.textContent = 'Live: following the run…';
    live = stream(api.base() + api.paths.runStream(id, runId), {
      onEvent: event => { if (event.type === 'run') update(JSON.parse(event.data)); },
      onOpen: () => { liveNote.textContent = 'Live: following the run…'; },
      onError: e => { liveNote.textContent = `Live updates: ${e.message}`; },
      shouldReconnect: last => !(last && TERMINAL.has(JSON.parse(last.data).status)),
    });
    const stopWhenDone = setInterval(() => {
      if (TERMINAL.has(run.status)) {
        liveNote.textContent = `The run finished: ${run.status}.`;
        clearInterval(stopWhenDone);
      }
    }, 250);
    const stop = live.stop;
    live.stop = () => { clearInterval(stopWhenDone); stop(); };
  };
  follow();

  const act = async (action, options) => {
    if (!(await confirmDialog(options.dialog))) return;
    try {
      const body = options.body ? options.body() : undefined;
      const answer = await api.post(api.paths.runAction(id, runId, action), body);
      replace(message);
      if (action === 'replay') {
        navigate(`/orchestrations/${id}/runs/${answer.id}`);
        return;
      }
      update(answer);
      announce(`Run ${action === 'redrive' ? 'redriven' : 'cancelled'}: now ${answer.status}`);
      follow();
    } catch (e) {
      replace(message, errorBox(e));
    }
  };
  buttons.cancel.addEventListener('click', () => act('cancel', {dialog: {title: 'Cancel this run?',
    message: 'The run stops at its current step; it can be redriven later.', confirmLabel: 'Cancel run'}}));
  buttons.redrive.addEventListener('click', () => act('redrive', {dialog: {title: 'Redrive this run?',
    message: `The run continues from the step that ${run.status === 'cancelled' ? 'was current' : 'failed'}, with its `
      + 'input, context and the outputs of the steps that succeeded; that step starts again at attempt 1.',
    confirmLabel: 'Redrive run'}}));
  buttons.replay.addEventListener('click', () => {
    const input = h('textarea', {id: 'replay-input', rows: '5', class: 'mono', spellcheck: 'false'},
      JSON.stringify(run.input, null, 2));
    act('replay', {
      dialog: {title: 'Replay this run?', message: 'Starts a new run of the current version with this input and the '
        + 'context of this run.', confirmLabel: 'Start replay', content: field('Input (JSON object)', input)},
      body: () => ({input: parseJsonField(input.value, 'Input') || {}}),
    });
  });

  function openStep(stepId) {
    const d = stepsBox.querySelector(`details[data-step="${CSS.escape(stepId)}"]`);
    if (d) {
      d.open = true;
      d.querySelector('summary').focus();
      d.scrollIntoView({block: 'nearest'});
    }
  }

  return () => { if (live) live.stop(); };
}

function actionButtons() {
  return {
    cancel: h('button', {type: 'button', id: 'cancel-run'}, 'Cancel run…'),
    redrive: h('button', {type: 'button', id: 'redrive-run', class: 'primary'}, 'Redrive…'),
    replay: h('button', {type: 'button', id: 'replay-run'}, 'Replay…'),
  };
}

function summaryList(run) {
  const end = run.completedAt ? new Date(run.completedAt) : null;
  const facts = [
    ['Status', statusBadge(run.status)],
    ['Orchestration version', `v${run.orchestrationVersion}`],
    ['Trigger', run.triggerType],
    ['Started', time(run.startedAt)],
    ['Completed', time(run.completedAt)],
    ['Duration', end ? duration(end - new Date(run.startedAt)) : 'running'],
    ['Current step', run.currentStepId ? h('code', {}, run.currentStepId) : '—'],
    ['Steps executed', String(run.executedSteps.length)],
    ['Correlation id', run.correlationId ? h('code', {}, run.correlationId) : '—'],
    ['Redrives', String(run.redriveCount || 0)],
  ];
  return h('dl', {class: 'facts inline', id: 'run-summary'}, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function failureBox(run) {
  if (run.status !== 'failed') return null;
  const last = run.errors[run.errors.length - 1];
  const stepId = run.executedSteps[run.executedSteps.length - 1];
  return h('div', {class: 'error-box', id: 'run-failure'},
    h('strong', {}, 'Failed at step '), h('code', {}, stepId || '?'),
    last ? [': ', h('code', {}, last.code), ` ${last.message} (attempt ${last.attempt})`] : '');
}

/** Each step's state for the graph: its latest timeline outcome; the step in progress is running or waiting. */
export function stepStates(run) {
  const states = new Map();
  for (const entry of run.timeline || []) {
    let state = entry.outcome;
    if (entry.completedAt === null) state = entry.outcome === 'waited' ? 'waiting' : 'running';
    states.set(entry.stepId, state || 'running');
  }
  if (!run.timeline) run.executedSteps.forEach(stepId => states.set(stepId, 'completed'));
  if (run.status === 'failed' && run.executedSteps.length) states.set(run.executedSteps.at(-1), 'failed');
  return states;
}

function stepDetails(run, steps, open) {
  const order = [...new Set([...run.executedSteps, ...(run.timeline || []).map(t => t.stepId)])];
  if (!order.length) return h('p', {class: 'muted'}, 'No step has run yet.');
  const types = new Map(steps.map(st => [st.id, st]));
  const states = stepStates(run);
  return h('div', {class: 'steps'}, order.map(stepId => {
    const errors = run.errors.filter(e => e.stepId === stepId);
    const step = types.get(stepId) || {};
    const times = run.executedSteps.filter(x => x === stepId).length;
    const state = states.get(stepId) || 'completed';
    const output = run.stepOutputs[stepId];
    const d = h('details', {'data-step': stepId, id: `step-${stepId}`},
      h('summary', {}, h('code', {}, stepId), ` · ${step.type || ''} · `, statusBadge(state),
        times > 1 ? ` · ran ${times} times` : '', errors.length ? ` · ${errors.length} failed attempt(s)` : ''),
      step.type === 'compute' ? h('p', {}, 'Function ', h('code', {}, step.functionId), '. It received the run input, ',
        'the context and the outputs of the steps before it (below).') : null,
      h('h4', {}, 'Input'), json({input: run.input, context: run.context}, `Input of ${stepId}`),
      h('h4', {}, 'Output'), output === undefined ? h('p', {class: 'muted'}, 'No output.') : json(output, `Output of ${stepId}`),
      errors.length ? [h('h4', {}, 'Attempts that failed'), h('table', {class: 'data compact errors'},
        h('thead', {}, h('tr', {}, ['Attempt', 'Code', 'Message', 'At'].map(t => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, errors.map(e => h('tr', {}, h('td', {}, String(e.attempt)), h('td', {}, h('code', {}, e.code)),
          h('td', {}, e.message), h('td', {}, time(e.at))))))] : null);
    if (open.has(stepId) || (state === 'failed')) d.open = true;
    return d;
  }));
}
