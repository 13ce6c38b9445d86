"""Markdown previews rendered by the server's sanitiser, so a preview shows exactly what the
pages will show, and the browser never turns raw text into HTML itself.

A preview is rendered again at every pause in typing, so its text is bounded: at most
``MAX_PREVIEW`` characters on at most ``MAX_PREVIEW_LINES`` lines (markdown-it's block
parser spends tens of microseconds on every line). The worst input within both bounds
renders well under 100 ms here (``bench/markdown_worst_case.py``). Longer text is refused
with 422 naming the field, and the page says the preview is unavailable.
"""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter
from pydantic import AfterValidator, Field, StringConstraints

from accord.core.errors import ErrorKind
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict
from accord.web.deps import Caller, identity
from accord.web.markdown import render_markdown
from accord.web.values import STORABLE
from accord.wire.guidelines import MarkdownOut

router = APIRouter(tags=["pages"])
MAX_PREVIEW = 10_000
"""Characters a preview renders."""
MAX_PREVIEW_LINES = 500
"""Lines a preview renders."""


def within_preview_lines(text: str) -> str:
    lines = text.count("\n") + 1
    if lines > MAX_PREVIEW_LINES:
        raise ValueError(f"a preview shows at most {MAX_PREVIEW_LINES} lines, not {lines}")
    return text


PreviewText = Annotated[str, StringConstraints(max_length=MAX_PREVIEW), STORABLE,
                        AfterValidator(within_preview_lines)]


class MarkdownIn(Strict):
    text: PreviewText = Field(
        description=f"at most {MAX_PREVIEW:,} characters on {MAX_PREVIEW_LINES} lines: "
                    "more would hold a render thread longer than a preview is worth")


@router.post("/markdown", summary="Preview Markdown as the pages render it",
             response_model=MarkdownOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.INVALID))
async def preview(body: MarkdownIn, me: Caller) -> MarkdownOut:
    """Render ``text`` as the pages render Markdown (for a live preview)."""
    await me.run(identity)
    html = await anyio.to_thread.run_sync(render_markdown, body.text)
    return MarkdownOut(html=str(html))
