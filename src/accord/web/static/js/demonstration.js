// The demonstration form: the ideal response, with a live preview.

import { FormProblem } from "./form.js";
import { livePreview } from "./preview.js";

export function setUp(form) {
  const text = document.getElementById("response-text");
  const rationale = document.getElementById("rationale");
  livePreview(text, document.getElementById("preview"), document.getElementById("response-length"));

  function collect() {
    if (!text.value.trim()) throw new FormProblem("Write the response first.", text);
    return { response: text.value, rationale: rationale.value, flags: [] };
  }

  return { collect, keydown: () => {}, home: text };
}
