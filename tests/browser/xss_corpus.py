"""Hostile strings for every user-controlled place a page renders.

Each payload, if it ever ran, would leave a trace the browser tests look for: a dialog
(``alert``, ``confirm``, ``prompt``), ``window.__xss`` set, the document title changed to
``pwned``, a request to another host, or a Content-Security-Policy violation. Sources: the
OWASP XSS filter-evasion cheat sheet, PortSwigger's XSS cheat sheet, and Markdown-specific
vectors (link and image destinations, autolinks, reference definitions).
"""

from __future__ import annotations

MARK = "window.__xss=1"

HTML_TAGS = [
    "<script>alert(1)</script>",
    f"<script>{MARK}</script>",
    "<ScRiPt>document.title='pwned'</sCrIpT>",
    "<img src=x onerror=alert(1)>",
    f'<img src="x" onerror="{MARK}">',
    "<img src=x:x onerror=javascript:alert(1)>",
    "<svg onload=alert(1)>",
    f"<svg><script>{MARK}</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<body onload=alert(1)>",
    "<iframe srcdoc=\"<script>parent.window.__xss=1</script>\"></iframe>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<div style=\"background:url(javascript:alert(1))\">css</div>",
    "<div style=\"width:expression(alert(1))\">ie</div>",
    "<xss style=\"behavior:url(x.htc)\">",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
]

BREAKOUTS = [
    "</script><script>alert(1)</script>",
    f"</script><script>{MARK}</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' autofocus onfocus='alert(1)",
    "\" autofocus onfocus=\"" + MARK,
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<!--</script><script>alert(1)//-->",
    "]]></script><script>alert(1)</script>",
    "\\u003c/script\\u003e<script>alert(1)</script>",
]

MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "[click]( javascript:alert(1) )",
    "[click](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "![img](javascript:alert(1))",
    "![img](https://evil.example/pixel.png)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x\" onerror=\"alert(1)](x)",
    "[a](https://example.org \"title\\\" onmouseover=alert(1) x=\\\"\")",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "```html\n<script>alert(1)</script>\n```",
    "```js\nalert(1)</code></pre><script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "| a | <img src=x onerror=alert(1)> |\n|---|---|\n| <svg onload=alert(1)> | b |",
    "> <script>alert(1)</script>",
    "* [x](javascript:alert(1))",
]

TEMPLATES = [
    "{{7*7}}",
    "{{ config.items() }}",
    "{% raw %}{{ self }}{% endraw %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
]

UNICODE = [
    "\u202e>tpircs/<)1(trela>tpircs<",
    "evil\u202etxt.exe",
    "\uff4aavascript:alert(1)",
    "[homoglyph](\uff4aavascript:alert(1))",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "\ufeff<script>alert(1)</script>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "jav&#x09;ascript:alert(1)",
    "<a href=\"jav\tascript:alert(1)\">tab</a>",
    "\u2066<img src=x onerror=alert(1)>\u2069",
]

PAYLOADS: list[str] = [*HTML_TAGS, *BREAKOUTS, *MARKDOWN, *TEMPLATES, *UNICODE]

IDS = [
    "</script><script>window.__xss=1</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{7*7}}",
    "\u202eevil",
]
"""Short payloads that fit where ids go (task and response ids are free strings)."""


def all_payloads(separator: str = "\n\n") -> str:
    """Every payload in one text, each its own Markdown block by default."""
    return separator.join(PAYLOADS)
