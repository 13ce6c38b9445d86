// What the writer changed in a model's draft, shown live while they edit. The server
// computes the stored diff and edit distance itself on submit (core/tasks/edits.py, with
// Python's difflib.SequenceMatcher over words, runs of spaces and single marks). This view
// splits text the same way and matches tokens by the same method (Ratcliff and Obershelp's
// longest matching blocks, as difflib does without junk), so the page shows exactly the
// changes that will be stored, built from text nodes only.

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu;
const MAX_TOKENS = 20_000; // per text, compared live
const MAX_CELLS = 4_000_000; // characters × characters for the live edit distance

export function tokens(text) {
  return text.match(TOKEN) || [];
}

function longestMatch(a, b, b2j, alo, ahi, blo, bhi) {
  let [besti, bestj, bestsize] = [alo, blo, 0];
  let j2len = new Map();
  for (let i = alo; i < ahi; i += 1) {
    const next = new Map();
    for (const j of b2j.get(a[i]) || []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) || 0) + 1;
      next.set(j, k);
      if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
    }
    j2len = next;
  }
  return [besti, bestj, bestsize];
}

function matchingBlocks(a, b) {
  const b2j = new Map();
  b.forEach((token, j) => {
    if (!b2j.has(token)) b2j.set(token, []);
    b2j.get(token).push(j);
  });
  const found = [];
  const queue = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop();
    const [i, j, k] = longestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (!k) continue;
    found.push([i, j, k]);
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  found.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const blocks = [];
  let [i1, j1, k1] = [0, 0, 0];
  for (const [i2, j2, k2] of found) {
    if (i1 + k1 === i2 && j1 + k1 === j2) {
      k1 += k2;
    } else {
      if (k1) blocks.push([i1, j1, k1]);
      [i1, j1, k1] = [i2, j2, k2];
    }
  }
  if (k1) blocks.push([i1, j1, k1]);
  blocks.push([a.length, b.length, 0]);
  return blocks;
}

/** Segments [op, text], op "equal" | "delete" | "insert", adjacent ones of a kind merged;
 *  null when the texts are too long to compare while typing. */
export function diffSegments(draft, text) {
  const a = tokens(draft);
  const b = tokens(text);
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS) return null;
  const segments = [];
  const add = (op, pieces) => {
    const piece = pieces.join("");
    if (!piece) return;
    const last = segments[segments.length - 1];
    if (last && last[0] === op) last[1] += piece;
    else segments.push([op, piece]);
  };
  let i = 0;
  let j = 0;
  for (const [ai, bj, size] of matchingBlocks(a, b)) {
    add("delete", a.slice(i, ai));
    add("insert", b.slice(j, bj));
    add("equal", a.slice(ai, ai + size));
    [i, j] = [ai + size, bj + size];
  }
  return segments;
}

/** Levenshtein's distance in characters (code points), or null when too long to compute live. */
export function editDistance(draft, text) {
  const a = [...draft];
  const b = [...text];
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) return null;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length];
}

const TAGS = { equal: "span", delete: "del", insert: "ins" };

export function renderDiff(container, segments) {
  if (segments === null) {
    container.textContent = "Too long to compare while you type; the changes are computed when you submit.";
    return;
  }
  container.replaceChildren(...segments.map(([op, piece]) => {
    const element = document.createElement(TAGS[op]);
    element.textContent = piece;
    if (op !== "equal") element.className = `diff-${op}`;
    return element;
  }));
}
