from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def notes(numbers: list[int]) -> str:
    """Footnote markers, [1, 3], each linking to its note."""
    if not numbers:
        return ""
    links = format_html_join(", ", '<a href="#note-{0}">{0}</a>', ((number,) for number in numbers))
    return format_html('<span class="fn">[{}]</span>', links)


@register.filter
def entry(bibliography: list[dict[str, Any]], number: int) -> dict[str, Any]:
    return next(item for item in bibliography if item["number"] == number)
