// A layered layout of a step graph (top to bottom), written for this console: back edges found by a depth-first
// walk from the entry step, layers by longest path over the remaining (acyclic) edges, order inside a layer by a
// few barycenter sweeps, then coordinates. Small graphs (tens of steps) are what it is made for.

export const NODE_W = 168;
export const NODE_H = 46;
export const DECISION_H = 64;
const GAP_X = 36;
const GAP_Y = 78;
const MARGIN = 24;
export const END = '__end__';

/** The edges of a definition's steps: {from, to, kind: next|case|default, label, caseIndex}. */
export function edgesOf(steps) {
  const ids = new Set(steps.map(s => s.id));
  const edges = [];
  for (const step of steps) {
    if (step.type === 'decision') {
      (step.cases || []).forEach((c, i) => {
        edges.push({from: step.id, to: ids.has(c.nextStepId) ? c.nextStepId : END, kind: 'case', caseIndex: i,
          label: caseLabel(c, i)});
      });
      if (step.defaultNextStepId) {
        edges.push({from: step.id, to: ids.has(step.defaultNextStepId) ? step.defaultNextStepId : END,
          kind: 'default', label: 'default'});
      }
    } else {
      const next = step.nextStepId;
      edges.push({from: step.id, to: next && ids.has(next) ? next : END, kind: 'next', label: ''});
    }
  }
  return edges;
}

/** "case 1: amount gt 100" (the first condition, "+n" for more). */
export function caseLabel(c, i) {
  const conds = c.conditions || [];
  if (!conds.length) return `case ${i + 1}`;
  const first = conds[0];
  const value = first.value === undefined ? '' : ` ${JSON.stringify(first.value)}`;
  const path = String(first.path || '').replace(/^steps\.([^.]+)\.output\./, '$1.');
  let text = `${path} ${first.op}${value}`;
  if (text.length > 26) text = text.slice(0, 25) + '…';
  return `case ${i + 1}: ${text}${conds.length > 1 ? ` +${conds.length - 1}` : ''}`;
}

export function layout(steps) {
  const all = edgesOf(steps);
  // an edge to the end is drawn as a stub under its step (a shared end node would pull long edges across the graph)
  const edges = all.filter(e => e.to !== END);
  const terminal = new Set(all.filter(e => e.to === END).map(e => e.from));
  const ids = steps.map(s => s.id);
  const out = new Map(ids.map(id => [id, []]));
  edges.forEach(e => out.get(e.from).push(e));

  // back edges: an edge to a node on the current depth-first path
  const state = new Map();
  const order = [];
  function dfs(v) {
    state.set(v, 1);
    order.push(v);
    for (const e of out.get(v)) {
      const st = state.get(e.to);
      if (st === 1) e.back = true;
      else if (!st) dfs(e.to);
    }
    state.set(v, 2);
  }
  ids.forEach(v => { if (!state.has(v)) dfs(v); });

  // layers: longest path from the sources over forward edges, in topological order
  const indeg = new Map(ids.map(v => [v, 0]));
  edges.filter(e => !e.back).forEach(e => indeg.set(e.to, indeg.get(e.to) + 1));
  const layer = new Map(ids.map(v => [v, 0]));
  const queue = ids.filter(v => indeg.get(v) === 0);
  while (queue.length) {
    const v = queue.shift();
    for (const e of out.get(v)) {
      if (e.back) continue;
      layer.set(e.to, Math.max(layer.get(e.to), layer.get(v) + 1));
      indeg.set(e.to, indeg.get(e.to) - 1);
      if (indeg.get(e.to) === 0) queue.push(e.to);
    }
  }

  const layers = [];
  order.forEach(v => {
    const l = layer.get(v);
    (layers[l] = layers[l] || []).push(v);
  });
  for (let l = 0; l < layers.length; l++) layers[l] = layers[l] || [];
  sweep(layers, edges.filter(e => !e.back));

  const widest = Math.max(1, ...layers.map(l => l.length));
  const width = widest * NODE_W + (widest - 1) * GAP_X + 2 * MARGIN;
  const nodes = new Map();
  let y = MARGIN;
  layers.forEach((members, l) => {
    const rowW = members.length * NODE_W + (members.length - 1) * GAP_X;
    let x = (width - rowW) / 2;
    const rowH = Math.max(NODE_H, ...members.map(v => heightOf(v, steps)));
    members.forEach(v => {
      const h = heightOf(v, steps);
      nodes.set(v, {id: v, step: steps.find(s => s.id === v) || null, layer: l, x, y: y + (rowH - h) / 2,
        w: NODE_W, h, terminal: terminal.has(v)});
      x += NODE_W + GAP_X;
    });
    y += rowH + GAP_Y;
  });

  let backLane = 0;
  const backCount = edges.filter(e => e.back).length;
  edges.forEach(e => {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (e.back) {
      const lane = width + 14 * backLane++;
      e.path = backPath(a, b, lane);
      e.labelAt = {x: lane - 4, y: (a.y + b.y + b.h) / 2};
    } else {
      e.path = forwardPath(a, b);
      // near the target, where labels of one decision's edges have spread apart
      const ax = a.x + a.w / 2;
      const bx = b.x + b.w / 2;
      e.labelAt = {x: ax + (bx - ax) * 0.7, y: b.y - 18};
    }
  });
  // a terminal step's stub ends this far below it (inside the gap to the next layer)
  return {nodes, edges, stub: 30, width: width + 14 * backCount + 8, height: y - GAP_Y + MARGIN + 40};
}

function heightOf(id, steps) {
  const step = steps.find(s => s.id === id);
  return step && step.type === 'decision' ? DECISION_H : NODE_H;
}

/** Barycenter ordering, down then up, a few times: fewer crossings for typical branching flows. */
function sweep(layers, edges) {
  const pos = () => {
    const p = new Map();
    layers.forEach(members => members.forEach((v, i) => p.set(v, i)));
    return p;
  };
  for (let round = 0; round < 4; round++) {
    const down = round % 2 === 0;
    for (let k = 1; k < layers.length; k++) {
      const l = down ? k : layers.length - 1 - k;
      const p = pos();
      const bary = new Map();
      layers[l].forEach((v, i) => {
        const near = edges.filter(e => (down ? e.to === v : e.from === v)).map(e => p.get(down ? e.from : e.to))
          .filter(x => x !== undefined);
        bary.set(v, near.length ? near.reduce((a, b) => a + b, 0) / near.length : i);
      });
      layers[l].sort((a, b) => bary.get(a) - bary.get(b));
    }
  }
}

function forwardPath(a, b) {
  const x1 = a.x + a.w / 2;
  const y1 = a.y + a.h;
  const x2 = b.x + b.w / 2;
  const y2 = b.y;
  const dy = Math.max(24, (y2 - y1) / 2);
  return `M${x1},${y1} C${x1},${y1 + dy} ${x2},${y2 - dy} ${x2},${y2}`;
}

/** A back edge (a loop) leaves the source's right side, runs up a lane right of the graph, enters the target. */
function backPath(a, b, laneX) {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x + b.w;
  const y2 = b.y + b.h / 2;
  return `M${x1},${y1} C${laneX},${y1} ${laneX},${y1} ${laneX},${(y1 + y2) / 2} S${laneX},${y2} ${x2},${y2}`;
}
