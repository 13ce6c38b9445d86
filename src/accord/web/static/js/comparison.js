// The comparison form: ranking (keyboard first, drag for the mouse), strength for pairs,
// ratings per dimension and response, flags, rationale.

import { Ranking, RankingBoard } from "./ranking.js";
import { FormProblem, checkedValue, checkedValues, setStatus } from "./form.js";
import { digitOf, usesArrows } from "./keys.js";

/** Whether two rankings hold the same tie groups in the same order. */
function sameRanking(one, other) {
  const key = (groups) => JSON.stringify(groups.map((group) => [...group].sort()));
  return key(one) === key(other);
}

/**
 * Marks each response "not read to the end" until its last line has been on screen, so a
 * long answer judged from its opening is visible as such to the annotator.
 */
function watchReading() {
  if (!("IntersectionObserver" in window)) return;
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const position = entry.target.dataset.readEnd;
      const mark = document.querySelector(`[data-unread="${position}"]`);
      if (mark) mark.hidden = true;
      observer.unobserve(entry.target);
    }
  });
  for (const end of document.querySelectorAll("[data-read-end]")) observer.observe(end);
}

export function setUp(form, data) {
  const ids = data.responses;
  const ranking = new Ranking(ids, { allowTies: data.allowTies });
  const boardElement = document.getElementById("ranking-board");
  const rankingStatus = document.getElementById("ranking-status");
  const strength = document.getElementById("strength");
  const rationale = document.getElementById("rationale");
  let prefix = null; // "=" (tie) or "s" (strength) waiting for its digit
  const suggestion = data.suggestion; // the AI judge's ranking, on assignments drawn to show it
  let acceptedSuggestion = false; // the one-key accept put it on the board

  const badges = () => {
    for (const badge of document.querySelectorAll("[data-rank-badge]")) {
      const id = ids[Number(badge.dataset.rankBadge) - 1];
      const index = ranking.groupOf(id);
      const tied = index >= 0 && ranking.groups[index].length > 1;
      badge.textContent = index < 0 ? "" : `Rank ${index + 1}${tied ? " (tie)" : ""}`;
    }
    syncStrength();
    const placed = ranking.placedCount();
    setStatus(rankingStatus, placed === ids.length
      ? "All responses ranked."
      : `${placed} of ${ids.length} ranked.`);
  };
  // A tie has no "better one", so its strength is cleared and the control disabled: what the
  // bar shows is exactly what is sent.
  const isTie = () => ranking.groups.some((group) => group.length > 1);
  function syncStrength() {
    if (!strength) return;
    const tied = isTie();
    if (tied) for (const input of strength.querySelectorAll("input")) input.checked = false;
    strength.disabled = tied;
    document.getElementById("strength-tie").hidden = !tied;
  }
  const board = new RankingBoard(boardElement, ranking, { onChange: badges });
  badges();

  const changed = () => board.changed();

  function acceptSuggestion() {
    ranking.groups = suggestion.map((group) => [...group]);
    ranking.selected = null;
    acceptedSuggestion = true;
    changed();
    setStatus(rankingStatus, "The AI's ranking is on the board. Change it with the usual keys, or submit.");
  }
  const acceptButton = document.getElementById("accept-suggestion");
  if (suggestion && acceptButton) acceptButton.addEventListener("click", acceptSuggestion);

  function keydown(event) {
    const digit = digitOf(event);
    if (digit !== null && event.target.dataset && event.target.dataset.dimension) {
      event.preventDefault();
      rateFocusedScale(event.target, digit);
      return;
    }
    if (prefix === "s") {
      prefix = null;
      if (isTie()) {
        setStatus(rankingStatus, "No strength for a tie: rank one response first to give one.", { error: true });
      } else if (digit !== null && digit <= 3 && strength) {
        strength.querySelector(`input[value="${digit}"]`).checked = true;
        setStatus(rankingStatus, `Strength ${digit}.`);
      }
      event.preventDefault();
      return;
    }
    if (event.key === "=" || event.key === "+") {
      event.preventDefault();
      if (!data.allowTies) {
        setStatus(rankingStatus, "This project does not allow ties.", { error: true });
        return;
      }
      prefix = "=";
      setStatus(rankingStatus, "Tie: press the number of the response to tie with the rank above.");
      return;
    }
    if (event.key === "a" && suggestion) {
      event.preventDefault();
      acceptSuggestion();
      return;
    }
    if (event.key === "s" && strength) {
      prefix = "s";
      event.preventDefault();
      setStatus(rankingStatus, "Strength: press 1 (slightly), 2 (clearly) or 3 (much better).");
      return;
    }
    if (digit !== null) {
      event.preventDefault();
      const id = ids[digit - 1];
      const tie = prefix === "=";
      prefix = null;
      if (id === undefined) return;
      if (tie) ranking.tie(id);
      else ranking.place(id);
      changed();
      return;
    }
    prefix = null;
    const selected = ranking.current();
    if ((event.key === "ArrowUp" || event.key === "ArrowDown") && !usesArrows(event.target)) {
      if (selected === null || ranking.groupOf(selected) < 0) return;
      event.preventDefault();
      if (event.key === "ArrowUp") ranking.moveUp(selected);
      else ranking.moveDown(selected);
      ranking.selected = selected;
      changed();
      return;
    }
    if ((event.key === "Backspace" || event.key === "Delete") && selected !== null) {
      event.preventDefault();
      ranking.remove(selected);
      changed();
    }
  }

  /** A number key on a rating scale sets that scale's value (focus stays; Tab goes on). */
  function rateFocusedScale(input, digit) {
    const scale = input.closest(".scale");
    const choice = scale.querySelector(`input[value="${digit}"]`);
    if (choice === null) {
      const values = [...scale.querySelectorAll("input")].map((option) => option.value);
      setStatus(rankingStatus, `${input.dataset.dimension} takes ${values[0]}–${values[values.length - 1]}.`, { error: true });
      return;
    }
    choice.checked = true;
    choice.focus();
  }

  watchReading();

  function collect() {
    if (!ranking.isComplete()) {
      throw new FormProblem("Rank every response first: press their numbers, best first.", boardElement);
    }
    const body = { ranking: ranking.toJSON(), flags: checkedValues(form, "flags") };
    const chosen = checkedValue(form, "strength");
    if (chosen !== null && !isTie()) body.strength = Number(chosen);
    const ratings = {};
    for (const input of form.querySelectorAll("input[data-dimension]:checked")) {
      const id = ids[Number(input.dataset.position) - 1];
      (ratings[id] ||= {})[input.dataset.dimension] = Number(input.value);
    }
    if (Object.keys(ratings).length) body.ratings = ratings;
    body.rationale = rationale.value;
    // Accepted, and still the AI's ranking when sent: a change after the accept is the
    // annotator's own ranking.
    if (suggestion && acceptedSuggestion) body.suggestion_accepted = sameRanking(ranking.toJSON(), suggestion);
    if (data.requireRationale && !rationale.value.trim()) {
      throw new FormProblem("This project asks for a rationale.", rationale);
    }
    return body;
  }

  return { collect, keydown, home: boardElement };
}
