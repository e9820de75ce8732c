"""Renders the plain text of a legal page: paragraphs, line breaks and "## " headings.

Everything is escaped first; administrators type text, not HTML.
"""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def legal_text(value: str) -> str:
    blocks = [b.strip("\n") for b in str(value).replace("\r\n", "\n").split("\n\n")]
    html = []
    for block in blocks:
        if not block.strip():
            continue
        lines = block.split("\n")
        if lines[0].startswith("## "):
            html.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
            lines = lines[1:]
        if lines:
            body = format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
            html.append(f"<p>{body}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every piece escaped above
