// Hash routing: "#/orchestrations/{id}/runs?status=failed". Each route's page renders into the main element and
// may return a cleanup function (closing its streams and timers) that runs before the next page renders.

const routes = [];

/** route('/orchestrations/:id', page): page(main, params, query) → cleanup function or nothing. */
export function route(pattern, page) {
  const names = [];
  const regex = new RegExp('^' + pattern.replace(/:([a-zA-Z]+)/g, (m, name) => {
    names.push(name);
    return '([^/]+)';
  }) + '$');
  routes.push({regex, names, page});
}

export function current() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '/';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  return {path, query};
}

/** Builds "#/path?query" (query: an object; empty values left out). */
export function link(path, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, v);
  }
  const qs = params.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

export function navigate(path, query) {
  location.hash = link(path, query);
}

/** Replaces the query of the current route without adding a history entry or re-rendering. */
export function replaceQuery(query) {
  history.replaceState(null, '', link(current().path, query));
}

export function match(path) {
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (m) {
      const params = {};
      r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      return {page: r.page, params};
    }
  }
  return null;
}
