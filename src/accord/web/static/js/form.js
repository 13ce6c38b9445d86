// Small helpers shared by the task forms.

/** A reason the form cannot be sent yet, with the field to go to. */
export class FormProblem extends Error {
  constructor(message, field = null) {
    super(message);
    this.field = field;
  }
}

export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

export function checkedValue(form, name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? input.value : null;
}

export function setStatus(element, message, { error = false } = {}) {
  element.textContent = message;
  element.classList.toggle("error", error);
}
