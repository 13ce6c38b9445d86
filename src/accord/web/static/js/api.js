// Calls to Accord's JSON API from the pages. The login session's cookie goes along
// (same origin); errors come back as {"error": {"code", "message"}} and are thrown as ApiError
// with that message, which names the problem well enough to show as it is.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function postJSON(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (response.status === 401) {
    // The session ended (expiry, logout in another tab): log in again and come back here.
    const here = window.location.pathname + window.location.search;
    window.location.assign(`/login?next=${encodeURIComponent(here)}`);
    throw new ApiError(401, "unauthenticated", "Your session has ended; log in again.");
  }
  if (!response.ok) {
    const error = (payload && payload.error) || {};
    throw new ApiError(response.status, error.code || "error",
      error.message || `The server answered ${response.status}.`);
  }
  return payload;
}
