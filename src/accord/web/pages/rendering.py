"""Jinja2 for the pages: autoescape everywhere, Markdown only through the sanitiser.

Every value a template prints is escaped unless it went through the ``markdown`` filter,
which sanitises (``web.markdown``). Data that scripts need travels in ``data-*``
attributes or in a ``<script type="application/json">`` block written by ``tojson``, which
escapes ``<``, ``>`` and ``&``, so a ``</script>`` inside a response id cannot end the block.
Rendering runs on a worker thread: Markdown and Pygments over a long response take
milliseconds that must not stall the event loop (the SQLite writer lives there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from accord import __version__
from accord.core.people.users import User
from accord.web.audit_values import details as audit_details
from accord.web.markdown import hidden_characters, length_of, render_markdown

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC_PREFIX = "/static"


def format_duration(ms: int | float | None) -> str:
    """``3_723_000`` → ``1 h 2 min``; under a minute shows seconds."""
    seconds = int((ms or 0) // 1000)
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def format_count(value: int) -> str:
    return f"{value:,}"


def static_url(path: str) -> str:
    """URL of a file under ``web/static``; the version busts caches after an upgrade."""
    return f"{STATIC_PREFIX}/{path}?v={__version__}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        markdown=render_markdown,
        duration=format_duration,
        count=format_count,
        hidden_characters=hidden_characters,
        text_length=length_of,
        audit_details=audit_details,
    )
    env.globals.update(static=static_url, version=__version__)
    return env


environment = _environment()


def render_page(template: str, context: dict[str, Any]) -> str:
    return environment.get_template(template).render(context)


async def render(
    request: Request, template: str, user: User | None = None, *, status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page as a response. ``no-store``: pages show someone's work and must not be cached."""
    page = {"request": request, "user": user, **context}
    html = await anyio.to_thread.run_sync(render_page, template, page)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})
