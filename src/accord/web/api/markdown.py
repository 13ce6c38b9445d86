"""Markdown previews rendered by the server's sanitiser, so a preview shows exactly what the
pages will show, and the browser never turns raw text into HTML itself."""

from __future__ import annotations

import anyio
from fastapi import APIRouter
from pydantic import Field

from accord.core.errors import ErrorKind
from accord.core.tasks.judgments import MAX_TEXT
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict
from accord.web.deps import Caller, identity
from accord.web.markdown import render_markdown

router = APIRouter(tags=["pages"])


class MarkdownIn(Strict):
    text: str = Field(max_length=MAX_TEXT)


class MarkdownOut(Strict):
    html: str = Field(description="sanitised HTML, safe to insert into a page")


@router.post("/markdown", summary="Preview Markdown as the pages render it",
             response_model=MarkdownOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.INVALID))
async def preview(body: MarkdownIn, me: Caller) -> MarkdownOut:
    """Render ``text`` as the pages render Markdown (for a live preview)."""
    await me.run(identity)
    html = await anyio.to_thread.run_sync(render_markdown, body.text)
    return MarkdownOut(html=str(html))
