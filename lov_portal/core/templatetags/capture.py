"""`{% capture as name %}…{% endcapture %}`: render the enclosed markup once, output nothing,
and keep the result (stripped of surrounding white space) in the context as `name`.

templates/document.html captures the page's `{% block title %}` this way, so that the
<title> and the default <h1> (templates/base.html) both show what the page states once.
"""

from __future__ import annotations

from django import template
from django.template.base import Node, NodeList
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class CaptureNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: Context) -> str:
        rendered: SafeString = self.nodelist.render(context)
        context[self.name] = mark_safe(rendered.strip())  # noqa: S308  # nosec B308 B703 - rendered, so escaped
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError(f"Usage: {{% {bits[0]} as name %}}…{{% endcapture %}}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
