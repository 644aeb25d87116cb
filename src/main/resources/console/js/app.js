// Boots the console: routes, the signed-in guard, navigation state, focus after navigation.
import * as session from './session.js';
import {onUnauthorized} from './api.js';
import {route, current, match, navigate} from './router.js';
import {h, replace} from './dom.js';
import {signInPage} from './pages/signin.js';
import {orchestrationsPage} from './pages/orchestrations.js';
import {orchestrationPage} from './pages/orchestration.js';
import {runsPage} from './pages/runs.js';
import {runPage} from './pages/run.js';
import {findRunsPage} from './pages/find-runs.js';
import {functionsPage, functionPage} from './pages/functions.js';
import {workerQueuesPage} from './pages/worker-queues.js';
import {bulkOperationsPage, bulkOperationPage} from './pages/bulk.js';

route('/signin', signInPage);
route('/', orchestrationsPage);
route('/orchestrations', orchestrationsPage);
route('/orchestrations/:id', orchestrationPage);
route('/orchestrations/:id/runs', runsPage);
route('/orchestrations/:id/runs/:runId', runPage);
route('/runs', findRunsPage);
route('/functions', functionsPage);
route('/functions/:fnId', functionPage);
route('/worker-queues', workerQueuesPage);
route('/bulk-operations', bulkOperationsPage);
route('/bulk-operations/:bulkId', bulkOperationPage);

const main = document.getElementById('main');
let cleanup = null;
let renderSeq = 0;

async function render() {
  const {path, query} = current();
  if (!session.signedIn() && path !== '/signin') {
    navigate('/signin', {then: path === '/' ? undefined : location.hash.slice(1)});
    return;
  }
  if (cleanup) {
    try { cleanup(); } catch (e) { /* a page's cleanup never stops navigation */ }
    cleanup = null;
  }
  updateChrome(path);
  const seq = ++renderSeq;
  const found = match(path);
  replace(main);
  if (!found) {
    main.append(h('h1', {tabindex: '-1', class: 'page-title'}, 'Not found'),
      h('p', {}, 'No console page has this address. ', h('a', {href: '#/orchestrations'}, 'Go to orchestrations')));
    focusTitle();
    return;
  }
  const result = await found.page(main, found.params, query);
  if (seq !== renderSeq) {
    if (typeof result === 'function') result();
    return;
  }
  cleanup = typeof result === 'function' ? result : null;
  focusTitle();
}

/** After navigation, focus goes to the new page's heading (focus order restarts at the page). */
function focusTitle() {
  const title = main.querySelector('h1');
  if (title && document.activeElement !== title && !main.contains(document.activeElement)) title.focus();
}

function updateChrome(path) {
  const signed = session.signedIn();
  document.getElementById('nav').hidden = !signed;
  document.getElementById('session').hidden = !signed;
  document.getElementById('session-workspace').textContent = signed ? `Workspace: ${session.workspace()}` : '';
  const section = path.split('/')[1] || 'orchestrations';
  document.querySelectorAll('[data-nav]').forEach(a => {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  navigate('/signin');
});

document.getElementById('skip-link').addEventListener('click', ev => {
  ev.preventDefault();
  main.focus();
});

onUnauthorized(() => {
  if (current().path !== '/signin') {
    session.signOut();
    navigate('/signin', {expired: '1'});
  }
});

// Leaving the page closes its live streams at once: a browser keeps only 6 HTTP/1.1 connections per host, and a
// stream the old page left open would hold one of them until the server next writes to it.
window.addEventListener('pagehide', () => {
  if (cleanup) cleanup();
  cleanup = null;
});

window.addEventListener('hashchange', render);
render();
