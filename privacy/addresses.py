"""E-mail addresses as one person: the canonical form, and the keyed hash every app matches on.

The suppression list, the outbox and the supporter table all hash addresses with the same
purpose, so "never mail this person again" holds whichever app meets the address next.
"""

from __future__ import annotations

from privacy import hashing

ADDRESS_PURPOSE = "email-address"

# Providers that deliver name+tag@ to name@ (and Gmail, which also ignores dots): one mailbox.
_IGNORES_DOTS = {"gmail.com", "googlemail.com"}
_IGNORES_PLUS_TAGS = _IGNORES_DOTS | {
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "fastmail.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
}
_SAME_MAILBOX_DOMAIN = {"googlemail.com": "gmail.com"}


def canonical_email(address: str) -> str:
    """The form two spellings of one mailbox share: case-folded, tags and Gmail dots removed."""
    local, at, domain = address.strip().rpartition("@")
    if not at:
        return address.strip().casefold()
    local, domain = local.casefold(), domain.casefold().rstrip(".")
    if domain in _IGNORES_PLUS_TAGS:
        local = local.partition("+")[0]
    if domain in _IGNORES_DOTS:
        local = local.replace(".", "")
    return f"{local}@{_SAME_MAILBOX_DOMAIN.get(domain, domain)}"


def address_hash(address: str) -> str:
    """The canonical address's hash under the current key (what new rows store)."""
    return hashing.keyed_hash(canonical_email(address), purpose=ADDRESS_PURPOSE)


def address_hashes(address: str) -> list[str]:
    """The canonical address's hash under every configured key: matches rows not yet rehashed."""
    return hashing.keyed_hashes(canonical_email(address), purpose=ADDRESS_PURPOSE)
