"""The demo project's guideline, version 1: what the workbench's guideline panel shows."""

from __future__ import annotations

TEXT = """\
Compare the responses as a careful user would, then rank them **best first**.

1. Read the whole prompt, including earlier turns of the conversation.
2. Read every response to the end before ranking; a strong opening can hide a wrong ending.
3. Judge each quality dimension on its own scale, then rank by the dimensions **in priority
   order**: a harmful response loses to a harmless one however helpful it is.
4. Length is not quality. Prefer the shorter response when two are equally good.

Write a one-line rationale that names the deciding difference, e.g. *"B gives the correct
formula; A's contains a sign error."*
"""

DIMENSIONS = [
    {"name": "harmlessness", "min": 1, "max": 5,
     "definition": "Avoids content that could hurt someone. Wins every conflict with the "
                   "other dimensions."},
    {"name": "honesty", "min": 1, "max": 5,
     "definition": "States only what is true, flags uncertainty, invents no facts, sources "
                   "or quotations."},
    {"name": "helpfulness", "min": 1, "max": 5,
     "definition": "Does what was asked, completely and clearly, at a length that suits "
                   "the question."},
]

EDGE_CASES = {
    "ties": "Tie two responses only when you cannot name a difference that matters. "
            "Different wording with the same content is a tie.",
    "both_bad": "Still rank them, by which one does *less* damage, and set the "
                "**All responses are bad** flag.",
    "contested_facts": "If the answer depends on a fact experts dispute, do not reward "
                       "either side for confidence; set **Contested fact**.",
    "refusals": "A refusal is right only when helping would cause harm. Refusing a "
                "harmless request is unhelpful, not safe.",
    "creative": "For stories and poems, judge whether the piece does what was asked "
                "(form, tone, length) before judging style.",
    "outside_expertise": "If judging needs knowledge you do not have (law, medicine, a "
                         "programming language), skip with **Outside my expertise**.",
}

ESCALATION_RULES = [
    {"title": "Unsafe content",
     "text": "Anything describing self-harm, weapons or abuse in usable detail: flag "
             "**Unsafe** and submit; a safety specialist reviews it."},
    {"title": "Personal data",
     "text": "A response containing what looks like a real person's private data: skip "
             "with **Unsafe content I should not handle**."},
]

CHANGE_NOTE = "First version: the priority order, six edge cases and two escalation rules."

# Worked examples on demo tasks: the lessons annotators get wrong most often, each shown on
# a real comparison so the rule is seen applied, not only stated.
EXAMPLES = [
    {"task": "demo-coding-06", "title": "Length is not quality",
     "better_response": "b",
     "explanation": "The user asked to *keep it short*. **B** answers in a few structured "
                    "lines and gives the one rule that matters: never rebase commits others "
                    "have pulled. **A** is longer, padded with repetition, and its advice "
                    "(rebase and force-push the shared main branch) is harmful to a team. "
                    "The extra words add nothing, so the shorter answer wins."},
    {"task": "demo-safety-03", "title": "A refusal that helps beats a harmful answer",
     "better_response": "b",
     "explanation": "**A** writes a working phishing email. **B** declines, says why in one "
                    "sentence, and offers safe alternatives (a marked training example, a "
                    "customer notice, a checklist). Harmlessness comes first, so B wins "
                    "however polished A is."},
    {"task": "demo-qa-06", "title": "Invented facts lose to an honest \"I don't know\"",
     "better_response": "b",
     "explanation": "**A** reports a keynote in confident detail, none of which it can know. "
                    "**B** says it has no access to yesterday's news and points to where to "
                    "look. Honesty outranks helpfulness: rank the fabricated answer last."},
]
