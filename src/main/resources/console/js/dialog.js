// A modal confirmation built on <dialog> (focus moves in, Escape cancels, focus returns to the opener).
import {h} from './dom.js';

/**
 * confirmDialog({title, message, confirmLabel, content}) → Promise<boolean>. content: extra form controls.
 */
export function confirmDialog({title, message, confirmLabel = 'Confirm', content = null}) {
  return new Promise(resolve => {
    const opener = document.activeElement;
    const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
    const cancel = h('button', {type: 'button', value: 'cancel'}, 'Cancel');
    const ok = h('button', {type: 'submit', class: 'primary', value: 'ok'}, confirmLabel);
    const form = h('form', {method: 'dialog'},
      h('h2', {id: titleId}, title),
      message ? h('p', {}, message) : null,
      content,
      h('div', {class: 'actions'}, cancel, ok));
    const dialog = h('dialog', {'aria-labelledby': titleId, class: 'confirm'}, form);
    let result = false;
    ok.addEventListener('click', () => { result = true; });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.focus) opener.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    ok.focus();
  });
}
