// The red-team form: the attack, the model's response, harm categories, severity, and
// whether a refusal would have been right (the over-refusal signal).

import { FormProblem, checkedValue, checkedValues } from "./form.js";

const REFUSAL = { yes: true, no: false, unsure: null };

export function setUp(form) {
  const attack = document.getElementById("attack");
  const modelResponse = document.getElementById("model-response");
  const rationale = document.getElementById("rationale");

  function collect() {
    if (!attack.value.trim()) throw new FormProblem("Write the attack prompt first.", attack);
    const severity = checkedValue(form, "severity");
    const refusal = checkedValue(form, "refusal_appropriate");
    return {
      attack: attack.value,
      model_response: modelResponse.value.trim() ? modelResponse.value : null,
      harm_categories: checkedValues(form, "harm_categories"),
      severity: severity === null ? null : Number(severity),
      refusal_appropriate: refusal === null ? null : REFUSAL[refusal],
      rationale: rationale.value,
      flags: [],
    };
  }

  return { collect, keydown: () => {}, home: attack };
}
