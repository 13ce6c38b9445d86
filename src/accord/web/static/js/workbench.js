// The annotator's workbench: one task of any kind, submitted and skipped through the JSON
// API, then the page loads again with the next task. Everything here that reads the task
// comes from the JSON block #task-data (ids and settings) or from the server-rendered page.

import { ApiError, postJSON } from "./api.js";
import { ActiveTimer, BreakReminder, formatDuration } from "./activity.js";
import { FormProblem, checkedValue, setStatus } from "./form.js";
import { activatesOnEnter, isTextEntry } from "./keys.js";
import * as comparison from "./comparison.js";
import * as demonstration from "./demonstration.js";
import * as redTeam from "./red-team.js";

const KINDS = { comparison, demonstration, red_team: redTeam };
const GUIDELINE_HIDDEN_KEY = "accord.guidelineHidden";

const data = JSON.parse(document.getElementById("task-data").textContent);
const form = document.getElementById("judgment");
const status = document.getElementById("form-status");
const submitButton = document.getElementById("submit-button");
const skipDialog = document.getElementById("skip-dialog");
const skipForm = document.getElementById("skip-form");
const keysDialog = document.getElementById("keys-dialog");
const guideline = document.getElementById("guideline");
const guidelineToggle = document.getElementById("toggle-guideline");
const activeTime = document.getElementById("active-time");

const timer = new ActiveTimer({ onTick: (ms) => { activeTime.textContent = formatDuration(ms); } });
new BreakReminder(data.breakAfterMinutes, document.getElementById("break-dialog"), timer).start();
const task = KINDS[data.kind].setUp(form, data);
let busy = false;

function nextTask(saved) {
  // An answer in a calibration round is followed by its feedback page (the reference and
  // why); anything else by the next task, which the same address serves. replace() keeps
  // Back from reopening this task.
  const here = window.location.pathname;
  if (saved && saved.calibration) {
    window.location.replace(here.replace(/\/annotate$/, `/calibration/${data.assignmentId}`));
    return;
  }
  window.location.replace(here);
}

/**
 * An error goes to the action bar, which is always on screen, said at once by screen readers
 * (assertive) and scrolled into view in case the bar is not sticky (a narrow window).
 */
function showError(message) {
  status.setAttribute("aria-live", "assertive");
  setStatus(status, message, { error: true });
  status.scrollIntoView({ block: "nearest" });
}

function showStatus(message) {
  status.setAttribute("aria-live", "polite");
  setStatus(status, message);
}

async function send(path, body, doneMessage) {
  busy = true;
  submitButton.disabled = true;
  showStatus("Saving…");
  try {
    const saved = await postJSON(path, body);
    showStatus(doneMessage);
    nextTask(saved);
  } catch (error) {
    busy = false;
    submitButton.disabled = false;
    const message = error instanceof ApiError ? error.message : "The server could not be reached; try again.";
    showError(message);
  }
}

function submit() {
  if (busy) return;
  let body;
  try {
    body = task.collect();
  } catch (problem) {
    if (!(problem instanceof FormProblem)) throw problem;
    if (problem.field) problem.field.focus();
    showError(problem.message);
    return;
  }
  body.active_ms = timer.ms;
  send(`/api/v1/assignments/${data.assignmentId}/submit`, body, "Saved. Opening the next task…");
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});

skipForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const reason = checkedValue(skipForm, "reason");
  skipDialog.close();
  if (busy || reason === null) return;
  send(`/api/v1/assignments/${data.assignmentId}/skip`, { reason }, "Skipped. Opening the next task…");
});
skipDialog.querySelector("[data-close]").addEventListener("click", () => skipDialog.close());
skipDialog.addEventListener("keydown", (event) => {
  // Enter on a reason confirms, as in any form; Esc cancels (the dialog's own behaviour).
  if (event.key === "Enter" && !activatesOnEnter(event.target)) {
    event.preventDefault();
    skipForm.requestSubmit();
  }
});

function openSkip() {
  skipDialog.showModal();
  skipForm.querySelector("input[name=reason]:checked").focus();
}

function setGuidelineHidden(hidden) {
  document.body.classList.toggle("guideline-hidden", hidden);
  guidelineToggle.setAttribute("aria-expanded", String(!hidden));
  try {
    window.localStorage.setItem(GUIDELINE_HIDDEN_KEY, hidden ? "1" : "");
  } catch {
    // Without storage the choice lasts for this page only.
  }
}

function toggleGuideline() {
  const hide = !document.body.classList.contains("guideline-hidden");
  setGuidelineHidden(hide);
  if (!hide) guideline.focus();
}

let storedHidden = false;
try {
  storedHidden = window.localStorage.getItem(GUIDELINE_HIDDEN_KEY) === "1";
} catch {
  storedHidden = false;
}
setGuidelineHidden(storedHidden);
guidelineToggle.addEventListener("click", toggleGuideline);
document.getElementById("skip-button").addEventListener("click", openSkip);
document.getElementById("show-keys").addEventListener("click", () => keysDialog.showModal());

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
  const target = event.target;
  if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
    event.preventDefault();
    form.requestSubmit();
    return;
  }
  if (isTextEntry(target)) {
    if (event.key === "Escape") {
      target.blur();
      task.home.focus();
    }
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  switch (event.key) {
    case "Enter":
      if (activatesOnEnter(target)) return;
      event.preventDefault();
      form.requestSubmit();
      return;
    case "?":
      event.preventDefault();
      keysDialog.showModal();
      return;
    case "g":
      event.preventDefault();
      toggleGuideline();
      return;
    case "k":
      event.preventDefault();
      openSkip();
      return;
    case "r": {
      const rationale = document.getElementById("rationale");
      event.preventDefault();
      rationale.focus();
      return;
    }
    default:
      task.keydown(event);
  }
});

if (data.kind === "comparison") task.home.focus({ preventScroll: true });
// Keys pressed before this point were not seen; tests (and anything else) can wait for this.
document.body.dataset.workbench = "ready";
