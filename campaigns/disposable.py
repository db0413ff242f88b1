"""Addresses at throwaway-mailbox services, whose signatures wait for an organizer.

The list is the community-maintained disposable-email-domains blocklist, shipped as a package of
the same name (github.com/disposable-email-domains/disposable-email-domains); upgrading the package
updates it. Such a signature is held, never dropped: some people use these services only to keep
their real address private, and an organizer decides.
"""

from __future__ import annotations

from disposable_email_domains import blocklist

# The flag on Signature.flags, which the moderation queue shows.
DISPOSABLE_DOMAIN = "disposable_domain"


def is_disposable(address: str) -> bool:
    """True for `x@mailinator.com` and for any subdomain of a listed domain (`x@eu.mailinator.com`)."""
    domain = address.rpartition("@")[2].strip().rstrip(".").casefold()
    labels = domain.split(".")
    # Every suffix with at least two labels: a bare top-level domain is never on the list.
    return any(".".join(labels[start:]) in blocklist for start in range(len(labels) - 1))


def flags_for(address: str) -> list[str]:
    return [DISPOSABLE_DOMAIN] if is_disposable(address) else []
