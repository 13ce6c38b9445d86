// The account page: copy a new API token to the clipboard, shown once.

const input = document.getElementById("new-token");
const button = document.getElementById("copy-token");
const status = document.getElementById("copy-status");

async function copyToken() {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = "Copied.";
  } catch {
    // No clipboard access (an insecure origin, or the browser refused): the token is
    // selected, so the person copies it with their keyboard.
    status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
  }
}

if (input && button) {
  button.addEventListener("click", copyToken);
}
