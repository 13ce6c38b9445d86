// The demonstration form in its authoring mode: the ideal response written from scratch or
// post-edited from a model's draft (live diff, reset to draft), or a conversation's
// assistant turns (turns.js).

import { FormProblem } from "./form.js";
import { diffSegments, editDistance, renderDiff } from "./draft-diff.js";
import { livePreview } from "./preview.js";
import * as turns from "./turns.js";

const DIFF_DELAY_MS = 150;

export function setUp(form, data) {
  if (form.dataset.mode === "multi_turn") return turns.setUp(form, data);
  const text = document.getElementById("response-text");
  const rationale = document.getElementById("rationale");
  livePreview(text, document.getElementById("preview"), document.getElementById("response-length"));
  const draft = document.getElementById("draft-text");
  if (draft) followDraft(text, draft.value);

  function collect() {
    if (!text.value.trim()) throw new FormProblem("Write the response first.", text);
    return { response: text.value, rationale: rationale.value, flags: [] };
  }

  return { collect, keydown: () => {}, home: text };
}

function followDraft(text, draft) {
  const diff = document.getElementById("draft-diff");
  const summary = document.getElementById("edit-summary");
  let timer = null;
  const refresh = () => {
    renderDiff(diff, diffSegments(draft, text.value));
    if (text.value === draft) {
      summary.textContent = "Unchanged from the draft: it will be flagged as unedited.";
      return;
    }
    const distance = editDistance(draft, text.value);
    summary.textContent = distance === null
      ? "Edited (the distance is computed when you submit)."
      : `${distance.toLocaleString()} character${distance === 1 ? "" : "s"} changed`;
  };
  text.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DIFF_DELAY_MS);
  });
  document.getElementById("reset-draft").addEventListener("click", () => {
    text.value = draft;
    text.dispatchEvent(new Event("input"));
    text.focus();
  });
  refresh();
}
