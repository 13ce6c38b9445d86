// The ranking of a comparison: tie groups of response ids, best first, and the board that
// shows it. The board is built with createElement and textContent only: response ids come
// from imported data and are never parsed as HTML.

export class Ranking {
  constructor(ids, { allowTies }) {
    this.ids = ids;
    this.allowTies = allowTies;
    this.groups = [];
    this.selected = null;
  }

  groupOf(id) {
    return this.groups.findIndex((group) => group.includes(id));
  }

  isComplete() {
    return this.ids.every((id) => this.groupOf(id) >= 0);
  }

  placedCount() {
    return this.groups.reduce((sum, group) => sum + group.length, 0);
  }

  /** Take ``id`` out of the ranking; returns the index its group had. */
  detach(id) {
    const index = this.groupOf(id);
    if (index < 0) return -1;
    const group = this.groups[index];
    group.splice(group.indexOf(id), 1);
    if (group.length === 0) this.groups.splice(index, 1);
    return index;
  }

  /** Digit alone: an unranked response goes next (below all others); a ranked one is selected. */
  place(id) {
    if (this.groupOf(id) < 0) this.groups.push([id]);
    this.selected = id;
  }

  /** ``=`` then a digit: tie the response with the rank above it (a new one: with the last). */
  tie(id) {
    if (!this.allowTies) return false;
    const index = this.groupOf(id);
    if (index < 0 && this.groups.length === 0) {
      this.groups.push([id]);
    } else if (index < 0) {
      this.groups[this.groups.length - 1].push(id);
    } else if (index > 0) {
      this.detach(id); // removing it never shifts the group above
      this.groups[index - 1].push(id);
    }
    this.selected = id;
    return true;
  }

  /** One step up: out of a tie to just above it, or past the rank above. */
  moveUp(id) {
    const index = this.groupOf(id);
    if (index < 0) return;
    if (this.groups[index].length > 1) {
      this.detach(id);
      this.groups.splice(index, 0, [id]);
    } else if (index > 0) {
      [this.groups[index - 1], this.groups[index]] = [this.groups[index], this.groups[index - 1]];
    }
  }

  /** One step down: out of a tie to just below it, or past the rank below. */
  moveDown(id) {
    const index = this.groupOf(id);
    if (index < 0) return;
    if (this.groups[index].length > 1) {
      this.detach(id);
      this.groups.splice(index + 1, 0, [id]);
    } else if (index < this.groups.length - 1) {
      [this.groups[index + 1], this.groups[index]] = [this.groups[index], this.groups[index + 1]];
    }
  }

  /** Drag and drop: join rank ``target`` (a tie) or, without ties, go just above it. */
  moveTo(id, target, { join }) {
    const from = this.groupOf(id);
    const wasAlone = from >= 0 && this.groups[from].length === 1;
    this.detach(id);
    let index = target;
    if (from >= 0 && wasAlone && from < target) index -= 1; // a group above vanished
    index = Math.max(0, Math.min(index, this.groups.length));
    if (join && this.allowTies && index < this.groups.length) this.groups[index].push(id);
    else this.groups.splice(index, 0, [id]);
    this.selected = id;
  }

  /** Drag to the end: a new lowest rank. */
  moveToEnd(id) {
    this.detach(id);
    this.groups.push([id]);
    this.selected = id;
  }

  remove(id) {
    this.detach(id);
    if (this.selected === id) this.selected = null;
  }

  /** The selected response, or else the last one placed (what Backspace takes out). */
  current() {
    if (this.selected !== null && this.groupOf(this.selected) >= 0) return this.selected;
    const last = this.groups[this.groups.length - 1];
    return last ? last[last.length - 1] : null;
  }

  toJSON() {
    return this.groups.map((group) => [...group]);
  }
}

const DRAG_TYPE = "application/x-accord-position";

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The board: ranks as rows of chips, the unranked below; keyboard-first, drag for the mouse. */
export class RankingBoard {
  constructor(container, ranking, { onChange }) {
    this.container = container;
    this.ranking = ranking;
    this.onChange = onChange;
    this.position = new Map(ranking.ids.map((id, i) => [id, i + 1]));
    this.render();
  }

  label(id) {
    return `Response ${this.position.get(id)}`;
  }

  chip(id) {
    const position = this.position.get(id);
    const chip = element("button", "chip", this.label(id));
    chip.type = "button";
    chip.draggable = true;
    chip.dataset.position = String(position);
    chip.setAttribute("aria-pressed", String(this.ranking.selected === id));
    chip.addEventListener("click", () => {
      this.ranking.place(id);
      this.changed();
    });
    chip.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData(DRAG_TYPE, String(position));
      event.dataTransfer.effectAllowed = "move";
    });
    return chip;
  }

  dropZone(node, drop) {
    node.addEventListener("dragover", (event) => {
      if (event.dataTransfer.types.includes(DRAG_TYPE)) {
        event.preventDefault();
        node.classList.add("drag-over");
      }
    });
    node.addEventListener("dragleave", () => node.classList.remove("drag-over"));
    node.addEventListener("drop", (event) => {
      event.preventDefault();
      node.classList.remove("drag-over");
      const position = Number(event.dataTransfer.getData(DRAG_TYPE));
      const id = this.ranking.ids[position - 1];
      if (id !== undefined) {
        drop(id);
        this.changed();
      }
    });
  }

  render() {
    const { ranking } = this;
    const list = element("ol", "ranks");
    ranking.groups.forEach((group, index) => {
      const row = element("li", "rank");
      row.dataset.rank = String(index + 1);
      row.append(element("span", "rank-number", String(index + 1)));
      const chips = element("span", "chips");
      group.forEach((id, k) => {
        if (k > 0) chips.append(element("span", "tie-mark", "="));
        chips.append(this.chip(id));
      });
      row.append(chips);
      this.dropZone(row, (id) => ranking.moveTo(id, index, { join: true }));
      list.append(row);
    });
    const end = element("li", "rank new-rank",
      ranking.groups.length ? "Drop here for a new lowest rank" : "Press a response's number to rank it first");
    this.dropZone(end, (id) => ranking.moveToEnd(id));
    list.append(end);

    const unranked = element("div", "unranked");
    const waiting = ranking.ids.filter((id) => ranking.groupOf(id) < 0);
    // The status line says when all are ranked; the empty zone only says what a drop does.
    unranked.append(element("span", "muted", waiting.length ? "Not ranked yet:" : "Drop here to unrank."));
    for (const id of waiting) unranked.append(this.chip(id));
    this.dropZone(unranked, (id) => ranking.remove(id));

    this.container.replaceChildren(list, unranked);
  }

  changed() {
    this.render();
    if (this.onChange) this.onChange();
  }
}
