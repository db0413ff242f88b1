from __future__ import annotations


def email(value: str) -> str:
    return value.strip().casefold()


def email_without_tag(value: str) -> str:
    """Also drops a "+tag" from the local part: makes "bob+news@x" and "bob@x" the same person."""
    local, at, domain = email(value).rpartition("@")
    return f"{local.partition('+')[0]}{at}{domain}"
