// A line diff (longest common subsequence) for side-by-side views of two versions.

/** → rows [{left: {n, text}|null, right: {n, text}|null, kind: same|changed|removed|added}] */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({kind: 'same', left: {n: i + 1, text: a[i]}, right: {n: j + 1, text: b[j]}});
      i++; j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // removals before additions, so that a replaced line pairs up as changed
      ops.push({kind: 'removed', left: {n: i + 1, text: a[i]}, right: null});
      i++;
    } else {
      ops.push({kind: 'added', left: null, right: {n: j + 1, text: b[j]}});
      j++;
    }
  }
  return pairChanges(ops);
}

/** A run of removals followed by additions shows side by side as changed lines. */
function pairChanges(ops) {
  const rows = [];
  for (let k = 0; k < ops.length;) {
    if (ops[k].kind !== 'removed') {
      rows.push(ops[k++]);
      continue;
    }
    const removed = [];
    while (k < ops.length && ops[k].kind === 'removed') removed.push(ops[k++]);
    const added = [];
    while (k < ops.length && ops[k].kind === 'added') added.push(ops[k++]);
    const count = Math.max(removed.length, added.length);
    for (let x = 0; x < count; x++) {
      const l = removed[x] ? removed[x].left : null;
      const r = added[x] ? added[x].right : null;
      rows.push({kind: l && r ? 'changed' : (l ? 'removed' : 'added'), left: l, right: r});
    }
  }
  return rows;
}
