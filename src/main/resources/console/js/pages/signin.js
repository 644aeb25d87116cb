// Sign in: paste a JWT and name the workspace, or (zero set-up start, on this machine) one click.
import * as session from '../session.js';
import * as api from '../api.js';
import {h, errorBox, field, pageTitle, append}
  from '../dom.js';
import {navigate} from '../router.js';

export async function signInPage(main, params, query) {
  const tokenInput = h('textarea', {id: 'token', rows: '4', required: true, autocomplete: 'off', spellcheck: 'false',
    class: 'mono'});
  const wsInput = h('input', {id: 'workspace', type: 'text', required: true, autocomplete: 'off',
    spellcheck: 'false'});
  const message = h('div', {'aria-live': 'polite'});
  tokenInput.addEventListener('input', () => {
    const claims = session.claims(tokenInput.value.trim());
    const list = claims && Array.isArray(claims.workspaces) ? claims.workspaces.filter(w => w !== '*') : [];
    if (!wsInput.value && list.length) wsInput.value = list[0];
  });

  const form = h('form', {class: 'card form', novalidate: true},
    h('h2', {}, 'Sign in with a token'),
    field('Token (JWT)', tokenInput, 'Kept in this browser tab only; closing the tab signs you out.'),
    field('Workspace', wsInput, 'The workspace slug to open; the token must grant it.'),
    h('button', {type: 'submit', class: 'primary'}, 'Sign in'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const jwt = tokenInput.value.trim();
    const ws = wsInput.value.trim();
    if (!jwt || !ws) {
      message.replaceChildren(errorBox({code: 'validation_error', message: 'Both a token and a workspace are needed.'}));
      return;
    }
    await tryToken(jwt, ws, message, query);
  });

  append(main, pageTitle('Sign in'));
  if (query.get('expired')) {
    append(main, h('p', {class: 'notice', role: 'status'}, 'Your token was refused (expired or invalid). Sign in again.'));
  }
  append(main, message);
  if (await api.devTokenAvailable()) append(main, devSignIn(message, query));
  append(main, form);
}

function devSignIn(message, query) {
  const wsInput = h('input', {id: 'dev-workspace', type: 'text', value: 'default', autocomplete: 'off',
    spellcheck: 'false'});
  const form = h('form', {class: 'card form'},
    h('h2', {}, 'Local sign-in'),
    h('p', {}, 'This service runs in its zero-set-up mode on this machine: it can give the console a token directly.'),
    field('Workspace', wsInput),
    h('button', {type: 'submit', class: 'primary', id: 'dev-sign-in'}, 'Sign in locally'));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const answer = await api.devToken(wsInput.value.trim());
      await tryToken(answer.token, answer.workspace, message, query);
    } catch (e) {
      message.replaceChildren(errorBox(e));
    }
  });
  return form;
}

async function tryToken(jwt, ws, message, query) {
  session.signIn(jwt, ws);
  try {
    await api.get(api.paths.orchestrations(), {pageSize: 1});
  } catch (e) {
    session.signOut();
    message.replaceChildren(errorBox(e));
    return;
  }
  const then = query.get('then');
  navigate(then && then.startsWith('/') && then !== '/signin' ? then.split('?')[0] : '/orchestrations',
    then && then.includes('?') ? Object.fromEntries(new URLSearchParams(then.split('?')[1])) : undefined);
}
