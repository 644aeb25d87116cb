// Functions: the list (header values and signing secrets masked, as the API returns them), create and edit. Masked
// header values sent back unchanged keep their stored secret; the signing secret is shown once, after a create.
import * as api from '../api.js';
import {h, errorBox, time, pageTitle, field, parseJsonField, replace, scroller, append}
  from '../dom.js';
import {link, navigate} from '../router.js';
import {pager} from './run-list.js';

export async function functionsPage(main, params, query) {
  const page = Math.max(1, Number(query.get('page')) || 1);
  const box = h('div', {'aria-live': 'polite'});
  append(main, pageTitle('Functions'),
    h('div', {class: 'toolbar'}, h('a', {class: 'button primary', href: link('/functions/new')}, 'New function')), box);
  try {
    const answer = await api.get(api.paths.functions(), {page, pageSize: 50});
    if (!answer.data.length) {
      replace(box, h('p', {}, 'No functions yet.'));
      return;
    }
    replace(box, scroller(h('table', {class: 'data'},
      h('caption', {class: 'visually-hidden'}, 'Functions'),
      h('thead', {}, h('tr', {}, ['Name', 'Runtime', 'Endpoint or queue', 'Headers', 'Signing secret', 'Updated']
        .map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, answer.data.map(f => h('tr', {},
        h('td', {}, h('a', {href: link(`/functions/${f.id}`)}, f.name)),
        h('td', {}, f.runtime),
        h('td', {}, h('code', {}, f.runtime === 'worker' ? f.queue : f.url)),
        h('td', {}, Object.entries(f.headers || {}).map(([k, v]) => h('div', {}, h('code', {}, `${k}: ${v}`)))),
        h('td', {}, h('code', {}, f.signingSecret)),
        h('td', {}, time(f.updatedAt))))))),
    pager(answer.meta, p => navigate('/functions', {page: p}), 'functions'));
  } catch (e) {
    replace(box, errorBox(e));
  }
}

export async function functionPage(main, params) {
  const isNew = params.fnId === 'new';
  let fn = {name: '', description: null, runtime: 'http', url: '', queue: '', headers: {}, timeoutMs: null};
  if (!isNew) {
    try {
      fn = await api.get(api.paths.fn(params.fnId));
    } catch (e) {
      append(main, pageTitle('Function'), errorBox(e));
      return;
    }
  }
  const name = h('input', {id: 'fn-name', type: 'text', value: fn.name, required: true, autocomplete: 'off'});
  const description = h('input', {id: 'fn-description', type: 'text', value: fn.description || '', autocomplete: 'off'});
  const runtime = h('select', {id: 'fn-runtime'}, h('option', {value: 'http'}, 'http (the service calls a URL)'),
    h('option', {value: 'worker'}, 'worker (workers poll a queue)'));
  runtime.value = fn.runtime;
  const url = h('input', {id: 'fn-url', type: 'url', value: fn.url || '', autocomplete: 'off'});
  const queue = h('input', {id: 'fn-queue', type: 'text', value: fn.queue || '', autocomplete: 'off'});
  const headers = h('textarea', {id: 'fn-headers', rows: '4', class: 'mono', spellcheck: 'false'},
    JSON.stringify(fn.headers || {}, null, 2));
  const timeout = h('input', {id: 'fn-timeout', type: 'number', min: '1', value: fn.timeoutMs ?? ''});
  const urlField = field('URL', url, 'An absolute http(s) URL the service may call (ORCH_FUNCTION_URL_ALLOW).');
  const queueField = field('Queue', queue);
  const sync = () => {
    urlField.hidden = runtime.value !== 'http';
    queueField.hidden = runtime.value !== 'worker';
  };
  runtime.addEventListener('change', sync);
  sync();
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'card form'},
    field('Name', name), field('Description', description), field('Runtime', runtime), urlField, queueField,
    field('Headers (JSON object of strings)', headers,
      'Sent with every call. Values are secrets: they read back as ********; leave those as they are to keep them.'),
    field('Timeout (ms, optional)', timeout),
    h('button', {type: 'submit', class: 'primary', id: 'fn-save'}, isNew ? 'Create function' : 'Save changes'),
    message);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const body = {name: name.value.trim(), description: description.value.trim() || null, runtime: runtime.value,
        headers: parseJsonField(headers.value, 'Headers') || {}};
      if (runtime.value === 'http') body.url = url.value.trim();
      else body.queue = queue.value.trim();
      if (timeout.value) body.timeoutMs = Number(timeout.value);
      const saved = isNew ? await api.post(api.paths.functions(), body) : await api.put(api.paths.fn(fn.id), body);
      if (isNew) {
        replace(main, pageTitle(`Function ${saved.name} created`),
          h('div', {class: 'card', role: 'status'}, h('p', {}, 'Its signing secret, shown this once: functions verify ',
            'X-Orchestration-Signature with it. Store it now.'), h('pre', {class: 'json', tabindex: '0',
            'aria-label': 'Signing secret'}, saved.signingSecret),
          h('p', {}, h('a', {href: link(`/functions/${saved.id}`)}, 'Open the function'), ' · ',
            h('a', {href: link('/functions')}, 'All functions'))));
        main.querySelector('h1').focus();
      } else {
        replace(message, h('p', {class: 'notice', role: 'status'}, `Saved at ${new Date().toLocaleTimeString()}.`));
      }
    } catch (e) {
      replace(message, errorBox(e));
    }
  });
  append(main, pageTitle(isNew ? 'New function' : `Function ${fn.name}`),
    isNew ? null : h('p', {class: 'subtitle'}, h('code', {}, fn.id), ' · signing secret ', h('code', {}, fn.signingSecret)),
    form);
}
