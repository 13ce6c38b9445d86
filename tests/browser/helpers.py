"""What every browser test does: watch the page for anything that must never happen, log in
and move around with the keyboard."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Runs before any script of each document: CSP violations are reported on the console
# (which survives navigation), and the markers that injected code would set start clean.
MONITOR = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP-VIOLATION ${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
window.__xss = 0;
"""


_STATUS = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


@dataclass
class Watch:
    """What a page did that it never should: dialogs, CSP violations, script errors, requests
    to anywhere but the server under test."""

    base: str
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)
    """HTTP error statuses a test provokes on purpose (Chromium logs each as an error)."""

    def attach(self, page: Page) -> None:
        page.add_init_script(MONITOR)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message) -> None:
        text = message.text
        if "CSP-VIOLATION" in text or "Content Security Policy" in text:
            self.violations.append(text)
        elif message.type == "error" and not self._expected(text):
            self.errors.append(text)

    def _expected(self, text: str) -> bool:
        status = _STATUS.match(text)
        return bool(status) and int(status.group(1)) in self.expected_statuses

    def _request(self, request) -> None:
        if not request.url.startswith((self.base, "data:")):
            self.foreign_requests.append(request.url)

    def assert_clean(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.violations == [], self.violations
        assert self.errors == [], self.errors
        assert self.foreign_requests == [], self.foreign_requests


def log_in(page: Page, base: str, name: str, password: str) -> None:
    """Through the login form, by keyboard: the user name field has the focus on arrival."""
    page.goto(f"{base}/login")
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def wait_for_workbench(page: Page, task_id: str) -> None:
    """The task ``task_id`` is shown and the page's scripts are listening for keys."""
    expect(page.locator(".task-id")).to_have_text(task_id)
    expect(page.locator('body[data-workbench="ready"]')).to_be_attached()
