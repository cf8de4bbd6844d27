/**
 * A labelled input or select with its hint and its error line, wired for screen readers: the label is a real
 * `<label for>`, the hint and the error are named by `aria-describedby`, and an error sets `aria-invalid`. Errors
 * are text (`textContent` through `el()`), whatever the bridge or the CRM said.
 */
import { el } from '../../browser-kit/src/dom.js';

export interface FormField<E extends HTMLInputElement | HTMLSelectElement> {
  /** The label, control, hint and error, to place in a form. */
  readonly element: HTMLElement;
  readonly control: E;
  /** Shows these messages under the control (none: clears). */
  setErrors(messages: readonly string[]): void;
}

type Attributes = Readonly<Record<string, string | boolean | undefined>>;

export function inputField(id: string, label: string, attributes: Attributes = {}, hint?: string, after?: Node): FormField<HTMLInputElement> {
  const control = el('input', { id, name: id, ...attributes });
  return field(id, label, control, hint, after);
}

export function selectField(id: string, label: string, options: readonly (readonly [value: string, text: string])[], hint?: string): FormField<HTMLSelectElement> {
  const control = el('select', { id, name: id }, options.map(([value, text]) => el('option', { value }, [text])));
  return field(id, label, control, hint);
}

function field<E extends HTMLInputElement | HTMLSelectElement>(id: string, label: string, control: E, hint?: string, after?: Node): FormField<E> {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hintEl = hint ? el('p', { id: hintId, class: 'hint' }, [hint]) : null;
  const error = el('p', { id: errorId, class: 'field-error', hidden: true });
  const describe = (withError: boolean): void => {
    const ids = [hintEl ? hintId : null, withError ? errorId : null].filter((x): x is string => x !== null);
    if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  describe(false);
  const row = after ? el('span', { class: 'with-suffix' }, [control, after]) : control;
  const element = el('div', { class: 'field' }, [el('label', { for: id }, [label]), row, hintEl, error]);
  return {
    element,
    control,
    setErrors(messages) {
      const has = messages.length > 0;
      error.textContent = has ? messages.join(' ') : '';
      error.hidden = !has;
      if (has) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      describe(has);
    },
  };
}
