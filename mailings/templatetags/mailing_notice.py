from __future__ import annotations

from django import template

from mailings.status_sentences import headline, sentence

register = template.Library()


@register.simple_tag
def status_sentence(status: str, place: str) -> str:
    return sentence(status, place)


@register.simple_tag
def status_headline(status: str) -> str:
    return headline(status)
