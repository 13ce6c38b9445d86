// Which keys belong to the page's shortcuts and which to the field being typed in.

const TEXT_INPUT_TYPES = new Set([
  "text", "search", "email", "url", "tel", "password", "number", "date", "time",
  "datetime-local", "month", "week",
]);

/** True while the person is typing: shortcuts must leave their keys alone. */
export function isTextEntry(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
  return element.tagName === "INPUT" && TEXT_INPUT_TYPES.has(element.type);
}

/** Elements that Enter activates by itself (a button, a link, a disclosure). */
export function activatesOnEnter(element) {
  if (!element) return false;
  if (["BUTTON", "A", "SUMMARY"].includes(element.tagName)) return true;
  return element.tagName === "INPUT" && ["button", "submit", "reset"].includes(element.type);
}

/** Radios and checkboxes use the arrow keys themselves. */
export function usesArrows(element) {
  return !!element && element.tagName === "INPUT" && ["radio", "checkbox"].includes(element.type);
}

/** The digit 1–9 a key press stands for, or null. */
export function digitOf(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  return /^[1-9]$/.test(event.key) ? Number(event.key) : null;
}
