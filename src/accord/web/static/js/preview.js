// Live preview of Markdown being written. The server renders it with the same sanitiser as
// every page (POST /api/v1/markdown), so the preview is exactly what reviewers will see and
// the browser never turns the writer's raw text into HTML itself.

import { postJSON } from "./api.js";

const DELAY_MS = 250;

export function lengthText(text) {
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  return `${text.length.toLocaleString()} characters · ${words.toLocaleString()} words`;
}

export function livePreview(textarea, preview, counter) {
  let timer = null;
  let sent = 0;
  let shown = 0;
  const refresh = async () => {
    const request = ++sent;
    const text = textarea.value;
    if (!text.trim()) {
      preview.replaceChildren();
      shown = request;
      return;
    }
    try {
      const { html } = await postJSON("/api/v1/markdown", { text });
      if (request > shown) {
        shown = request;
        preview.innerHTML = html; // sanitised on the server (web/markdown.py)
      }
    } catch (error) {
      preview.textContent = `Preview unavailable: ${error.message}`;
    }
  };
  textarea.addEventListener("input", () => {
    if (counter) counter.textContent = lengthText(textarea.value);
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  });
  if (textarea.value) refresh();
}
