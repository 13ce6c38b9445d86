"""Reading a judge's verdict from the text of its reply, in the shapes models really write.

The prompt asks for ``A``, ``B`` or ``TIE`` alone on the first line. Models answer in many
other shapes; ``tests/llm/verdict_corpus.jsonl`` collects the ones seen (AlpacaEval's GPT-4
Turbo judge, SmolLM2-135M-Instruct answering Accord's own prompt, MT-Bench's ``[[A]]``)
with the verdict each states. A reply is read from:

1. its first line that is not blank, when that line opens with a verdict:

   - the label alone, however decorated: ``A``, ``a``, ``**B**``, ``[[A]]``, ``"TIE"``,
     ``Response B``, ``Verdict: TIE``, ``The answer is B.``;
   - the label, a separator and reasons: ``A: The answer is …``, ``B. It cites …``,
     ``**A** because …``;
   - a sentence that names the better response (``Response A is better``, ``I prefer B``,
     ``B is clearly better than A``) or a tie (``Both are equally good``, ``It's a tie``,
     ``Neither``, ``Neither is better``), also after a lead-in clause (``Based on the
     principle, response B is better``);

2. else MT-Bench's ``[[A]]`` (``[[C]]``: a tie) or ``Verdict: B`` anywhere in the reply.

A reply that could be read two ways is refused rather than guessed, so that the judge falls
back on its first token's probabilities or asks again instead of storing a misread verdict:
a label that is only a word's first letter (``Both``, ``A fair point``), a first line that
names both sides (``A and B are both wrong``), a reply that goes on to give another verdict
the same shape (``A) If response A is better, B) If …``, the instructions echoed back), and
markers that disagree (a reply refused at its first line may still be read from its
markers). Only the label alone on the first line, the shape the prompt asks for, stands
whatever follows it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from accord.llm.verdict import TIE, A, B

_LABELS = {"a": A, "b": B, "tie": TIE, "tied": TIE, "draw": TIE, "c": TIE}
_TOKEN_LABELS = frozenset({"a", "b", "tie", "tied"})
"""Labels a first token can carry, so that its log-probabilities speak of the verdict."""
_CLOSING = {"**": "**", "__": "__", "*": "*", "_": "_", "`": "`", '"': '"', "'": "'",
            "\u201c": "\u201d", "\u2018": "\u2019", "[[": "]]", "[": "]", "(": ")"}

_NAMED = r"(?:(?:response|assistant|model|output|answer|option|candidate)\s+)"
_BETTER = (r"is\s+(?:(?:clearly|much|slightly|somewhat|significantly|far|definitely|"
           r"marginally|overall|generally|substantially|considerably|obviously|certainly)\s+)?"
           r"(?:the\s+)?(?:better|best|superior|preferred|preferable|stronger|winner)\b")
_BOLD = r"(?:\*\*|__)"
_LEAD = (
    rf"(?P<lead>{_BOLD}?(?:(?:the|my|our)\s+)?(?:final\s+|overall\s+)?"
    r"(?:verdict|answer|decision|choice|judg(?:e)?ment|winner|result|pick"
    r"|(?:better|best|preferred)\s+(?:response|one|answer)|preferred)"
    rf"(?:\s*{_BOLD})?\s*(?:(?:is|would\s+be)\b\s*[:=\-\u2013\u2014]?|[:=\-\u2013\u2014])?\s*{_BOLD}?\s*"
    r"|i\s+(?:would\s+|will\s+|'d\s+)?(?:prefer|choose|pick|select|vote\s+for|go\s+with)\s+)?"
)
_HEAD = re.compile(
    rf"{_LEAD}(?P<open>\*\*|__|\*|_|`|\"|'|\u201c|\u2018|\[\[|\[|\()?\s*(?P<named>{_NAMED})?"
    r"(?P<label>a|b|tied|tie|draw|c)(?!\w)"
    r"(?:\s*(?P<close>\*\*|__|\*|_|`|\"|'|\u201d|\u2019|\]\]|\]|\)))?(?P<tail>.*)",
    re.IGNORECASE | re.DOTALL)
_ALONE = re.compile(r"[\s.!:;]*")
_SEPARATOR = re.compile(r"\s*(?::|;|!|\.(?!\w)|\)|[-\u2013\u2014](?=\s|$))")
_COMMA = re.compile(r"\s*,")
_SENTENCE = re.compile(rf"\s+{_BETTER}", re.IGNORECASE)
_TIE_SENTENCE = re.compile(
    r"(?:both(?:\s+responses)?|they|the\s+(?:two\s+)?responses)\s+(?:are|were)\s+"
    r"(?:about\s+|roughly\s+|essentially\s+)?(?:equal(?:ly)?|the\s+same|tied)\b"
    r"|it(?:'s|\u2019s|\s+is|\s+was)\s+a\s+(?:tie|draw)\b"
    r"|neither(?:\s+(?:response|one|answer|of\s+them))?"
    r"(?:\s+is\s+better(?:\s+than\s+the\s+other)?)?(?=\s*(?:$|[:.;,!]|\s[-\u2013\u2014]))"
    r"|(?:there\s+is\s+)?no\s+(?:clear\s+)?(?:winner|difference)\b",
    re.IGNORECASE)
# A clause that leads into the verdict without taking it back: "Based on the principle, B".
_PREAMBLE = re.compile(
    r"(?:based\s+on|considering|given|according\s+to|judging\s+by|overall|all\s+things\s+"
    r"considered|in\s+(?:summary|conclusion|short)|therefore|thus|so)\b[^,.:;\n]*,\s*",
    re.IGNORECASE)
_BLOCK_MARKS = re.compile(r"(?:#{1,6}\s+|>\s*|[-+•]\s+|\*\s+)*")
_MARKERS = (
    re.compile(r"\[\[\s*(a|b|c|tie)\s*\]\]", re.IGNORECASE),
    re.compile(rf"\bverdict\s*(?:is\s*)?[:=\-]?\s*{_BOLD}?\s*(a|b|tie)\s*{_BOLD}?"
               r"(?=\s*(?:$|[.!;)\]]))", re.IGNORECASE | re.MULTILINE),
)
# A response named only as what another is compared with ("better than B") is no verdict.
_COMPARED_WITH = re.compile(rf"\b(?:than|over|to|vs\.?|versus)\s+{_NAMED}?[ab]\b",
                            re.IGNORECASE)


def _verdict_shape(words: str, *, ending_a_line: bool) -> re.Pattern[str]:
    """A label in a verdict's shape inside reasons: opening a line as a list item
    (``B. …``, ``B) …``), wrapped (``"B"``, ``(B)``), followed by ``:``, said to be better,
    or (a letter) ending a line (``… A. B.``).

    A match starts only where a run of wrappers starts: without that lookbehind, a reply of
    thousands of ``*`` is searched in quadratic time (minutes for 40,000 characters)."""
    end = r"|\.?\s*$" if ending_a_line else ""
    return re.compile(
        rf"^[^\S\n]*{_NAMED}?(?:{words})[.)]"
        rf"|(?<![\w'\u2019*_`\"\u201c\u2018\[(])(?:[*_`\"'\u201c\u2018\[(]+\s*)?{_NAMED}?"
        rf"(?:{words})(?:\s*[*_`\"'\u201d\u2019\])]+|\s*:|\s+{_BETTER}{end})",
        re.IGNORECASE | re.MULTILINE)


_SHAPES = {A: _verdict_shape("a", ending_a_line=True), B: _verdict_shape("b", ending_a_line=True),
           TIE: _verdict_shape("tied|tie", ending_a_line=False)}


@dataclass(frozen=True)
class ParsedReply:
    verdict: str | None
    """``A``, ``B``, ``TIE``, or None when the reply names none, or names it ambiguously."""
    reasons: str
    first_line: bool = False
    """True when the verdict opens the reply, so that its first token (after blanks and
    decoration) is the verdict and that token's log-probabilities are the judge's
    probabilities of each verdict."""


@dataclass(frozen=True)
class _Opening:
    """The verdict a first line opens with."""

    verdict: str
    alone: bool
    """The label is all the line holds: the shape the prompt asks for."""
    first_token: bool
    reasons: str | None
    """What follows the label on its line; None when the line is a sentence, itself the
    reason."""


def _opening(line: str) -> _Opening | None:
    """The verdict a first line opens with, or None when it opens with none."""
    line = _BLOCK_MARKS.sub("", line, count=1).strip()
    spoken = _PREAMBLE.sub("", line, count=1)
    opening = _labelled(spoken) or _tie_sentence(spoken)
    if opening is not None and spoken != line:
        return dataclasses.replace(opening, first_token=False)  # "Based on …, B"
    return opening


def _labelled(line: str) -> _Opening | None:
    """The verdict of a line that opens with a label (after a lead-in), or None."""
    found = _HEAD.match(line)
    if found is None:
        return None
    label, tail = found["label"].lower(), found["tail"]
    opened, closed = found["open"] or "", found["close"] or ""
    if closed and not opened:
        if closed != ")":
            return None  # "A's" or "A*": a closer with no opener belongs to a word
        tail = closed + tail
    elif opened and _CLOSING[opened] != closed:
        return None  # "(A fair point": the wrapper holds more than a label
    verdict = _LABELS[label]
    first_token = not found["lead"] and not found["named"] and label in _TOKEN_LABELS
    if _ALONE.fullmatch(tail):
        return _Opening(verdict, True, first_token, "")
    separator = _SEPARATOR.match(tail) or (
        _COMMA.match(tail) if found["lead"] or found["named"] else None)  # "Verdict: A, as"
    if opened or separator:
        reasons = tail[separator.end():] if separator else tail
        return _Opening(verdict, False, first_token, reasons.strip())
    if verdict != TIE and _SENTENCE.match(tail):
        return _Opening(verdict, False, first_token, None)
    return None


def _tie_sentence(line: str) -> _Opening | None:
    return _Opening(TIE, False, False, None) if _TIE_SENTENCE.match(line) else None


def _gives_another_verdict(verdict: str, text: str) -> bool:
    """Whether ``text`` gives a verdict other than ``verdict`` a verdict's shape."""
    text = _COMPARED_WITH.sub(" ", text)
    return any(shape.search(text) for other, shape in _SHAPES.items() if other != verdict) or \
        _markers(text) not in (None, verdict)


def _markers(text: str) -> str | None:
    """The one verdict that every explicit marker in ``text`` names, else None."""
    named = {_LABELS[found.lower()] for marker in _MARKERS for found in marker.findall(text)}
    return named.pop() if len(named) == 1 else None


def parse_reply(text: str) -> ParsedReply:
    """The verdict of a reply and its reasons (see the module's rules)."""
    body = text.strip()
    lines = body.splitlines()
    opening = _opening(lines[0]) if lines else None
    if opening is None:
        return ParsedReply(_markers(body), body)
    later = "\n".join(lines[1:])
    reasons = body if opening.reasons is None else f"{opening.reasons}\n{later}".strip()
    if not opening.alone and _gives_another_verdict(opening.verdict, reasons):
        return ParsedReply(_markers(body), body)
    return ParsedReply(opening.verdict, reasons, first_line=opening.first_token)
