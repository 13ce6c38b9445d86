// Active time on a task, and the reminder to take a break after a long stretch of work.
//
// Time counts while the tab is visible and the person did something (a key, the pointer,
// a scroll) within the last minute; a hidden tab or a minute without input pauses it. The
// figure is what the annotation records as active_ms, so it must not count a lunch break
// spent with the tab open.

export const IDLE_AFTER_MS = 60_000;
const INPUT_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "scroll", "input", "focusin"];

export class ActiveTimer {
  constructor({ idleAfterMs = IDLE_AFTER_MS, onTick = null } = {}) {
    this.idleAfterMs = idleAfterMs;
    this.onTick = onTick;
    this.activeMs = 0;
    this.visible = document.visibilityState === "visible";
    this.lastInput = performance.now(); // opening a task is the first sign of work
    this.lastTick = this.lastInput;
    for (const type of INPUT_EVENTS) {
      window.addEventListener(type, () => this.touch(), { passive: true, capture: true });
    }
    document.addEventListener("visibilitychange", () => this.visibilityChanged());
    window.setInterval(() => {
      this.accumulate();
      if (this.onTick) this.onTick(this.activeMs);
    }, 1000);
  }

  /** Add the time since the last look that counts as active (visible, input recent). */
  accumulate() {
    const now = performance.now();
    if (this.visible) {
      const until = Math.min(now, this.lastInput + this.idleAfterMs);
      if (until > this.lastTick) this.activeMs += until - this.lastTick;
    }
    this.lastTick = now;
  }

  touch() {
    this.accumulate();
    this.lastInput = performance.now();
  }

  visibilityChanged() {
    this.accumulate(); // the time until now was spent in the previous state
    this.visible = document.visibilityState === "visible";
    if (this.visible) this.lastInput = performance.now();
  }

  isActive() {
    return this.visible && performance.now() - this.lastInput < this.idleAfterMs;
  }

  /** Whole milliseconds of active time so far. */
  get ms() {
    this.accumulate();
    return Math.round(this.activeMs);
  }
}

// A stretch of continuous work spans task pages, so it lives in localStorage. Five minutes
// without any activity count as a break and start a new stretch.
const STRETCH_KEY = "accord.workStretch";
const BREAK_GAP_MS = 5 * 60_000;
const SNOOZE_MS = 10 * 60_000;

function loadStretch(now) {
  let stretch = null;
  try {
    stretch = JSON.parse(window.localStorage.getItem(STRETCH_KEY) || "null");
  } catch {
    stretch = null;
  }
  if (!stretch || typeof stretch.start !== "number" || now - stretch.last > BREAK_GAP_MS) {
    return { start: now, last: now, snoozeUntil: 0 };
  }
  return stretch;
}

function saveStretch(stretch) {
  try {
    window.localStorage.setItem(STRETCH_KEY, JSON.stringify(stretch));
  } catch {
    // Storage may be disabled; the reminder then covers this page only.
  }
}

export class BreakReminder {
  constructor(minutes, dialog, timer) {
    this.limitMs = minutes * 60_000;
    this.dialog = dialog;
    this.timer = timer;
    this.stretch = loadStretch(Date.now());
    dialog.addEventListener("close", () => this.answered(dialog.returnValue));
  }

  start() {
    this.check();
    window.setInterval(() => this.check(), 1000);
  }

  check() {
    const now = Date.now();
    this.stretch = loadStretch(now); // another tab may have moved it on
    if (this.timer.isActive()) this.stretch.last = now;
    saveStretch(this.stretch);
    const due = now - this.stretch.start >= this.limitMs && now >= this.stretch.snoozeUntil;
    if (due && !this.dialog.open && !document.querySelector("dialog[open]")) {
      this.dialog.showModal();
    }
  }

  answered(choice) {
    const now = Date.now();
    if (choice === "snooze") {
      this.stretch.snoozeUntil = now + SNOOZE_MS;
    } else {
      // Taking the break: the stretch counts again from now (and restarts anyway after
      // five quiet minutes).
      this.stretch = { start: now, last: now, snoozeUntil: 0 };
    }
    saveStretch(this.stretch);
  }
}

/** 83_000 → "1 min 23 s": short and calm, for the header. */
export function formatDuration(ms) {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
