"""Organizer-written letter templates, filled from a whitelist of placeholders — never Django templates.

`{{ supporter_name }}`, `{{ place }}`, `{{ official_name }}` and `{{ official_office }}` are replaced
in one pass by plain text; a value is never scanned again, so a supporter named
"{{ official_name }}" stays that string. Anything else between braces, `{% … %}` tags included,
is refused when the template is saved and left as literal text when a letter is filled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = ("supporter_name", "place", "official_name", "official_office")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Anything that looks like template syntax: a placeholder, a tag, a comment.
_TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each known placeholder replaced; unknown ones stay as typed."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in PLACEHOLDERS and name in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def check_template(template: str) -> None:
    """ValidationError naming every piece of template syntax that is not a known placeholder."""
    unknown = []
    for match in _TEMPLATE_SYNTAX.finditer(template):
        placeholder = _PLACEHOLDER.fullmatch(match.group(0))
        if placeholder is None or placeholder.group(1) not in PLACEHOLDERS:
            unknown.append(match.group(0))
    if unknown:
        known = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
        raise ValidationError(
            _("Only these placeholders may be used: %(known)s. Remove %(unknown)s."),
            code="unknown_placeholder",
            params={"known": known, "unknown": ", ".join(unknown)},
        )


def strip_placeholders(text: str) -> str:
    """The text without its placeholders: what the similarity check compares."""
    return _PLACEHOLDER.sub(" ", text)
