"""Untrusted Markdown renders to HTML that cannot run anything, layer by layer."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.web.api.markdown import MAX_PREVIEW, MAX_PREVIEW_LINES
from accord.web.markdown import (
    MAX_DELIMITERS,
    MAX_LINK_OPENERS,
    hidden_characters,
    length_of,
    render_markdown,
    sanitise,
)
from tests.factories import make_user
from tests.web.conftest import bearer

EVENT_HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.I)
TAG = re.compile(r"<\s*([a-zA-Z0-9]+)")
ALLOWED_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
                "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody",
                "tr", "th", "td", "span"}


def html(text: str) -> str:
    return str(render_markdown(text))


def test_raw_html_in_markdown_is_shown_as_text():
    out = html('<script>alert(1)</script> <img src=x onerror="alert(1)"> <b>bold</b>')
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


@pytest.mark.parametrize("link", [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html,<script>)",
    "[x](vbscript:msgbox(1))", "[x](javascript&#58;alert(1))", "[x](/logout)", "[x](#top)",
    "[x](file:///etc/passwd)", "<javascript:alert(1)>", "[x](\u0001javascript:alert(1))",
])
def test_links_keep_only_http_https_and_mailto_targets(link):
    out = html(link)
    assert "javascript:" not in out.lower().replace("&#58;", ":") or "href" not in out
    for href in re.findall(r'href="([^"]*)"', out):
        assert href.startswith(("http://", "https://", "mailto:")), href


def test_safe_links_open_apart_without_an_opener():
    out = html("[docs](https://example.org/a?b=1)")
    assert 'href="https://example.org/a?b=1"' in out
    assert 'rel="noopener noreferrer nofollow"' in out and 'target="_blank"' in out


def test_images_become_links_and_load_nothing():
    out = html('![a cat](https://tracker.example/pixel.png "t") ![x](data:image/png;base64,AA)')
    assert "<img" not in out and "src=" not in out
    assert "[image: a cat]" in out and 'href="https://tracker.example/pixel.png"' in out


def test_code_is_highlighted_into_known_classes_and_escaped():
    out = html("```python\nprint('<b>')  # hi\n```")
    assert opening_tag(out, "pre") == {"class": "highlight", "aria-label": "Code block",
                                       "tabindex": "0"}
    assert '<span class="nb">print</span>' in out and "&lt;b&gt;" in out
    assert html("```nosuchlanguage\n<x>\n```").count("&lt;x&gt;") == 1


def test_code_blocks_and_tables_take_the_keyboard_focus_with_a_name():
    """They scroll sideways when wide: a keyboard user must be able to focus and scroll them,
    and a screen reader names what has the focus. Indented code looks like fenced code."""
    out = html("    indented code\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert opening_tag(out, "pre") == {"class": "highlight", "aria-label": "Code block",
                                       "tabindex": "0"}
    assert "<code>indented code" in out
    assert opening_tag(out, "table") == {"aria-label": "Table", "tabindex": "0"}


def opening_tag(html_text: str, tag: str) -> dict[str, str]:
    """The attributes of the first ``tag`` in ``html_text`` (their order is the sanitiser's)."""
    found = re.search(rf"<{tag}((?: [\w-]+=\"[^\"]*\")*)>", html_text)
    assert found, f"no <{tag}> in {html_text}"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(1)))


def test_written_focus_attributes_are_text_not_html():
    out = html('<pre tabindex="5" aria-label="x">a</pre>')
    assert "<pre" not in out and "&lt;pre" in out


def test_table_alignment_becomes_a_class_never_a_style():
    out = html("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert 'class="align-left"' in out and 'class="align-right"' in out
    assert "style" not in out


@pytest.mark.parametrize("hostile", [
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<iframe srcdoc="<script>">',
    '<style>*{}</style>', '<base href="https://evil.example/">', '<form action=x><input>',
    '<span class="k evil" id="x" style="color:red">t</span>', '<math><mtext><script>',
    '<object data=x>', '<embed src=x>', '<meta http-equiv=refresh content="0;url=x">',
    '<link rel=stylesheet href=x>', '<div onmouseover=alert(1)>d</div>', '<!-- <script> -->',
])
def test_the_sanitiser_alone_holds_against_hostile_html(hostile):
    """Layer two must hold even if layer one (Markdown without HTML) ever lets HTML through."""
    out = sanitise(hostile)
    assert not EVENT_HANDLER.search(out)
    assert set(TAG.findall(out)) <= ALLOWED_TAGS
    assert "javascript:" not in out and "style=" not in out and "id=" not in out
    assert "evil" not in out or "class" not in out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:;&#()[]!`*_ \nabcjsvtx012")),
               max_size=200) | st.text(max_size=200))
def test_any_text_renders_to_allowed_tags_without_handlers(text):
    out = html(text)
    assert not EVENT_HANDLER.search(out)
    assert set(TAG.findall(out)) <= ALLOWED_TAGS
    for href in re.findall(r'href="([^"]*)"', out):
        assert href.startswith(("http://", "https://", "mailto:")), href


def test_invisible_direction_tricks_are_named():
    assert hidden_characters("abc\u202edcba\u200b") == ["right-to-left override",
                                                        "zero-width space"]
    assert hidden_characters("plain") == []


def test_length_counts_characters_and_words():
    size = length_of("two words")
    assert (size.characters, size.words) == (9, 2)


def test_a_paragraph_of_unmatched_brackets_is_shown_as_written():
    """``"[" * 99999`` took seconds (quadratic); past the bound a paragraph is read without
    links and emphasis, and the others keep theirs."""
    out = html("[a](https://example.org) *em*\n\n" + "[" * 99_999 + "\n\n_b_ [c](https://c.example)")
    assert out.count("[") == 99_999
    assert 'href="https://example.org"' in out and "<em>em</em>" in out
    assert 'href="https://c.example"' in out and "<em>b</em>" in out


def test_a_paragraph_past_the_bounds_keeps_its_text_but_not_its_markup():
    links = "[x](https://example.org) " * (MAX_LINK_OPENERS + 1)
    assert "href=" not in html(links) and html(links).count("[x](https://example.org)") > 1
    stars = "*a* " * (MAX_DELIMITERS // 2 + 1)
    assert "<em>" not in html(stars) and "*a*" in html(stars)
    assert html("*a* " * 10).count("<em>a</em>") == 10


def test_the_preview_takes_a_bounded_text(api, engine):
    token = bearer(make_user(engine, "ann").token)
    preview = "/api/v1/markdown"
    assert api.post(preview, json={"text": "x" * MAX_PREVIEW}, headers=token).status_code == 200
    too_long = api.post(preview, json={"text": "x" * (MAX_PREVIEW + 1)}, headers=token)
    assert too_long.status_code == 422
    assert too_long.json()["error"]["message"].startswith("body.text: String should have at most")
    too_many = api.post(preview, json={"text": "x\n" * MAX_PREVIEW_LINES}, headers=token)
    assert too_many.status_code == 422
    assert f"at most {MAX_PREVIEW_LINES} lines" in too_many.json()["error"]["message"]
    assert api.post(preview, json={"text": "[" * 99_999}, headers=token).status_code == 422
