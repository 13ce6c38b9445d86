"""Untrusted Markdown (model output, prompts, guidelines) to HTML that cannot run anything.

Two independent layers, so that a bug in one is caught by the other:

1. markdown-it-py with raw HTML disabled: ``<script>`` in a response is shown as text.
   Images become plain links (no request leaves the annotator's browser for a tracking
   pixel, and nothing trips the page's ``img-src``); table alignment becomes a class, since
   the Content-Security-Policy forbids ``style`` attributes; code is highlighted by Pygments
   into class names that ``static/css/code.css`` colours.
2. nh3 (the ammonia sanitiser) with an allow-list: a few formatting tags, ``href`` only
   with http, https or mailto, classes only from Pygments' and our own fixed sets, no ``id``
   (no DOM clobbering), no ``style``, no event handlers.

Rendering time is bounded as well as the output. markdown-it-py looks for the end of a link
from every ``[`` and pairs emphasis delimiters across a whole paragraph, so a paragraph of
unmatched brackets (``"[" * 99999``) took seconds, quadratic in its length. A paragraph with
more than ``MAX_LINK_OPENERS`` brackets or ``MAX_DELIMITERS`` emphasis marks is therefore read
without links, images, emphasis and strikethrough: its text is shown as written, and the
work stays linear. ``bench/markdown_worst_case.py`` measures the worst inputs.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markupsafe import Markup
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

MAX_HIGHLIGHTED = 50_000
"""Longer code blocks are shown plain: highlighting them would stall the page render."""
MAX_LINK_OPENERS = 200
"""``[`` in one paragraph beyond which its links and images are not looked for."""
MAX_DELIMITERS = 1_000
"""``*``, ``_`` and ``~`` in one paragraph beyond which its emphasis is not paired."""
LITERAL_RULES = ["link", "image", "emphasis", "strikethrough"]
"""The inline rules a paragraph over those bounds is read without."""

_ALIGN = {"left", "center", "right"}
_ALIGN_CLASSES = {f"align-{a}" for a in _ALIGN}
_TOKEN_CLASSES = {name for name in STANDARD_TYPES.values() if name}
TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "span",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
CLASSES = {
    "pre": {"highlight"},
    "span": _TOKEN_CLASSES,
    "th": _ALIGN_CLASSES,
    "td": _ALIGN_CLASSES,
    "a": {"md-image"},
}
SET_ATTRIBUTES = {
    "a": {"target": "_blank"},
    "pre": {"tabindex": "0", "aria-label": "Code block"},
    "table": {"tabindex": "0", "aria-label": "Table"},
}
"""Set on every such element. Code blocks and tables scroll sideways when wider than the
page, and a scrolling region must take the keyboard's focus (with a name to announce) or
keyboard users cannot scroll it (axe-core's ``scrollable-region-focusable``)."""
LINK_PREFIXES = ("http://", "https://", "mailto:")
_FORMATTER = HtmlFormatter(nowrap=True)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """A fenced block as ``<pre class="highlight">``; unknown languages are left plain."""
    body = escapeHtml(code)
    if lang and len(code) <= MAX_HIGHLIGHTED:
        with suppress(ClassNotFound):
            body = pygments_highlight(code, get_lexer_by_name(lang), _FORMATTER)
    return f'<pre class="highlight"><code>{body}</code></pre>'


def _code_block(self, tokens, idx, options, env) -> str:
    """An indented code block, shown as a fenced one without a language."""
    return _highlight(tokens[idx].content, "", "")


def _image_as_link(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = escapeHtml(str(token.attrGet("src") or ""))
    return f'<a class="md-image" href="{src}">[image: {escapeHtml(alt)}]</a>'


def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": False}
    ).enable(["table", "strikethrough"])
    md.options["highlight"] = _highlight
    md.add_render_rule("image", _image_as_link)
    md.add_render_rule("code_block", _code_block)
    return md


def _costly(paragraph: str) -> bool:
    """Whether reading links and emphasis in ``paragraph`` could take quadratic time."""
    delimiters = paragraph.count("*") + paragraph.count("_") + paragraph.count("~")
    return paragraph.count("[") > MAX_LINK_OPENERS or delimiters > MAX_DELIMITERS


def _bounded_parser() -> MarkdownIt:
    """The parser, with markdown-it's inline step replaced by one that reads each costly
    paragraph with a second parser lacking ``LITERAL_RULES`` (a separate instance, because
    rendering runs on several threads at once and rules are the parser's shared state)."""
    md = _parser()
    literal = _parser().disable(LITERAL_RULES)

    def bounded_inline(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline":
                reader = literal if _costly(token.content) else md
                token.children = reader.inline.parse(token.content, reader, state.env,
                                                     token.children or [])

    md.core.ruler.at("inline", bounded_inline)
    return md


_MD = _bounded_parser()
_ALIGN_STYLE = re.compile(r"^text-align:\s*(left|center|right)$")


def _alignment_as_class(tokens) -> None:
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            match = _ALIGN_STYLE.match(str(token.attrs.pop("style")))
            if match:
                token.attrSet("class", f"align-{match.group(1)}")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not value.strip().lower().startswith(LINK_PREFIXES):
        return None  # relative and other-scheme links could act on Accord itself
    return value


def sanitise(html: str) -> str:
    """HTML reduced to the allow-list; links open in a new tab without an opener."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_keep_attribute,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values=SET_ATTRIBUTES,
        strip_comments=True,
    )


def render_markdown(text: str) -> Markup:
    """``text`` as sanitised HTML, safe to place in a page as it is."""
    tokens = _MD.parse(text or "")
    _alignment_as_class(tokens)
    return Markup(sanitise(_MD.renderer.render(tokens, _MD.options, {})))


# Characters that change how text reads without being visible: bidirectional overrides and
# isolates (the "Trojan Source" trick), zero-width joiners and spaces, the BOM.
_HIDDEN = {
    "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting", "\u202d": "left-to-right override",
    "\u202e": "right-to-left override", "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate", "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
    "\u2060": "word joiner", "\ufeff": "zero-width no-break space",
}
_HIDDEN_RE = re.compile("[" + "".join(_HIDDEN) + "]")


def hidden_characters(text: str) -> list[str]:
    """Names of the invisible control characters in ``text``, each once, in first-seen order."""
    return list(dict.fromkeys(_HIDDEN[c] for c in _HIDDEN_RE.findall(text or "")))


@dataclass(frozen=True)
class Length:
    characters: int
    words: int


def length_of(text: str) -> Length:
    """How long a response is, as annotators judge length (and length bias is measured)."""
    return Length(len(text or ""), len((text or "").split()))
