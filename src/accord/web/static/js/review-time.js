// The reviewer's active time on a demonstration's review page, sent with the decision as
// active_ms (measured as the workbench measures a writer's: activity.js), so the cost counts
// reviewers' time on demonstrations.

import { ActiveTimer } from "./activity.js";

const form = document.querySelector("form.demonstration-review-form");
const field = form?.querySelector('input[name="active_ms"]');
if (form && field) {
  const timer = new ActiveTimer();
  form.addEventListener("submit", () => {
    field.value = String(timer.ms);
  });
}
