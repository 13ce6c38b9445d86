// A multi-turn demonstration: the writer writes the assistant's turns (and may add user
// turns of their own after the task's given ones). Alt+Enter adds the next turn, Alt+Backspace
// removes the last one the writer added; the server checks roles and order again.

import { FormProblem } from "./form.js";

function roleAfter(role) {
  return role === "assistant" ? "user" : "assistant";
}

export function setUp(form) {
  const list = document.getElementById("turns");
  const rationale = document.getElementById("rationale");
  const count = document.getElementById("turn-count");
  const given = list.querySelectorAll(".turn").length; // turns the page started with
  let made = given;

  const items = () => [...list.querySelectorAll(".turn")];
  const describe = () => {
    const all = items();
    count.textContent = `${all.length} turn${all.length === 1 ? "" : "s"}`;
  };

  function addTurn() {
    const last = items().at(-1);
    const role = roleAfter(last.dataset.role);
    const item = document.createElement("li");
    item.className = `message role-${role} turn added`;
    item.dataset.role = role;
    const id = `turn-${made}`;
    made += 1;
    const label = document.createElement("label");
    label.className = "role";
    label.htmlFor = id;
    label.textContent = `${role} (turn ${items().length + 1})`;
    const area = document.createElement("textarea");
    area.id = id;
    area.className = "turn-text";
    area.rows = 5;
    area.spellcheck = true;
    item.append(label, area);
    list.append(item);
    describe();
    area.focus();
  }

  function removeTurn() {
    const all = items();
    if (all.length <= given) return false;
    all.at(-1).remove();
    describe();
    const previous = items().at(-1).querySelector("textarea:not([readonly])");
    if (previous) previous.focus();
    return true;
  }

  list.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      addTurn();
    } else if (event.key === "Backspace" && event.target.closest(".turn") === items().at(-1)) {
      event.preventDefault();
      removeTurn();
    }
  });
  document.getElementById("add-turn").addEventListener("click", addTurn);
  document.getElementById("remove-turn").addEventListener("click", removeTurn);
  describe();

  function collect() {
    const turns = items().map((item) => ({
      role: item.dataset.role,
      content: item.querySelector(".turn-text").value,
    }));
    for (const [place, turn] of turns.entries()) {
      if (!turn.content.trim()) {
        throw new FormProblem(`Write turn ${place + 1} (${turn.role}) first.`,
          items()[place].querySelector(".turn-text"));
      }
    }
    if (turns.at(-1).role !== "assistant") {
      throw new FormProblem("End the conversation with an assistant turn (Alt+Enter adds one).",
        items().at(-1).querySelector(".turn-text"));
    }
    return { turns, rationale: rationale.value, flags: [] };
  }

  return { collect, keydown: () => {}, home: list.querySelector("textarea:not([readonly])") };
}
