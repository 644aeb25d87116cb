// Draws a laid-out step graph as SVG: compute steps as rectangles, decisions as diamonds, delays as rounded
// "pills", the end of a run as a ringed dot under a last step; case labels on decision edges; a state per step (a
// class for the colour and a word with an icon, never colour alone) and the edges a run or simulation took.
import {s} from '../dom.js';
import {layout, END} from './layout.js';

const ICON = {completed: '✓', failed: '✕', running: '▶', waiting: '⏸', waited: '⏸', cancelled: '⊘',
  pending: '…', visited: '✓'};

/**
 * drawGraph(steps, {label, states: Map(stepId → state), taken: Set("from→to"), onSelect(stepId)}) → <svg>
 * With onSelect the steps are buttons (Tab, Enter or Space).
 */
export function drawGraph(steps, options = {}) {
  const g = layout(steps);
  const states = options.states || new Map();
  const taken = options.taken || new Set();
  const svg = s('svg', {class: 'graph', viewBox: `0 0 ${g.width} ${g.height}`, width: g.width, height: g.height,
    role: 'group', 'aria-label': options.label || 'Step graph'});
  svg.append(defs());
  const edgeLayer = s('g', {class: 'edges', 'aria-hidden': 'true'});
  const labelLayer = s('g', {class: 'edge-labels', 'aria-hidden': 'true'});
  for (const e of g.edges) {
    const isTaken = taken.has(`${e.from}→${e.to}`);
    const cls = ['edge', `edge-${e.kind}`, e.back ? 'edge-back' : '', isTaken ? 'taken' : ''].join(' ').trim();
    edgeLayer.append(s('path', {d: e.path, class: cls, 'marker-end': isTaken ? 'url(#arrow-taken)' : 'url(#arrow)'}));
    if (e.label) labelLayer.append(edgeLabel(e, isTaken));
  }
  svg.append(edgeLayer);
  const nodeLayer = s('g', {class: 'nodes'});
  for (const node of g.nodes.values()) {
    if (node.terminal) edgeLayer.append(endStub(node, g.stub, taken.has(`${node.id}→${END}`)));
    nodeLayer.append(drawNode(node, states.get(node.id), options.onSelect));
  }
  svg.append(nodeLayer, labelLayer);
  return svg;
}

function defs() {
  const marker = (id, cls) => s('marker', {id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7',
    markerHeight: '7', orient: 'auto-start-reverse'}, s('path', {d: 'M0,0 L10,5 L0,10 z', class: cls}));
  return s('defs', {}, marker('arrow', 'arrowhead'), marker('arrow-taken', 'arrowhead taken'));
}

/** The end of the run under a terminal step: a short arrow to a ringed dot (as a UML final state). */
function endStub(node, length, isTaken) {
  const x = node.x + node.w / 2;
  const y1 = node.y + node.h;
  const cy = y1 + length + 8;
  return s('g', {class: `end-stub${isTaken ? ' taken' : ''}`},
    s('path', {d: `M${x},${y1} L${x},${y1 + length - 2}`, class: `edge${isTaken ? ' taken' : ''}`}),
    s('circle', {cx: x, cy, r: 8, class: 'end-ring'}),
    s('circle', {cx: x, cy, r: 4.5, class: 'end-dot'}));
}

function edgeLabel(e, isTaken) {
  const text = e.label;
  const w = 6.8 * text.length + 12;
  const anchorX = e.back ? e.labelAt.x - w : e.labelAt.x - w / 2;
  return s('g', {class: `edge-label${isTaken ? ' taken' : ''}`},
    s('rect', {x: anchorX, y: e.labelAt.y - 10, width: w, height: 20, rx: 4}),
    s('text', {x: anchorX + w / 2, y: e.labelAt.y + 4, 'text-anchor': 'middle'}, text));
}

function drawNode(node, state, onSelect) {
  const step = node.step;
  const type = step.type;
  const cls = `node node-${type}${state ? ` state-${state}` : ''}`;
  const stateWord = state ? ` · ${ICON[state] || ''} ${state === 'visited' ? 'on path' : state}` : '';
  const label = `Step ${node.id}, ${type}${state ? `, ${state}` : ''}${node.terminal ? ', then the run ends' : ''}`;
  const attrs = {class: cls, 'data-step': node.id, transform: `translate(${node.x},${node.y})`};
  if (onSelect) {
    Object.assign(attrs, {tabindex: '0', role: 'button', 'aria-label': `${label}: show details`});
  } else {
    Object.assign(attrs, {role: 'img', 'aria-label': label});
  }
  const g = s('g', attrs, s('title', {}, label), shape(type, node.w, node.h));
  g.append(
    s('text', {x: node.w / 2, y: node.h / 2 - 3, 'text-anchor': 'middle', class: 'node-title'}, truncate(node.id, 20)),
    s('text', {x: node.w / 2, y: node.h / 2 + 13, 'text-anchor': 'middle', class: 'node-sub'},
      truncate(`${type}${stateWord}`, 26)));
  if (onSelect) {
    g.addEventListener('click', () => onSelect(node.id));
    g.addEventListener('keydown', ev => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        onSelect(node.id);
      }
    });
  }
  return g;
}

function shape(type, w, h) {
  switch (type) {
    case 'decision':
      return s('polygon', {class: 'shape', points: `${w / 2},0 ${w},${h / 2} ${w / 2},${h} 0,${h / 2}`});
    case 'delay':
      return s('rect', {class: 'shape', x: 0, y: 0, width: w, height: h, rx: h / 2});
    default:
      return s('rect', {class: 'shape', x: 0, y: 0, width: w, height: h, rx: 4});
  }
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The edges taken along a path of executed steps ("a→b" keys; the last step to the end when the run completed). */
export function takenEdges(executedSteps, steps, ended) {
  const ids = new Set(steps.map(x => x.id));
  const taken = new Set();
  for (let i = 1; i < executedSteps.length; i++) taken.add(`${executedSteps[i - 1]}→${executedSteps[i]}`);
  const last = executedSteps[executedSteps.length - 1];
  if (ended && last && ids.has(last)) taken.add(`${last}→${END}`);
  return taken;
}
