"""Signed links to Stripe's customer portal, where a donor changes or cancels a monthly gift."""

from __future__ import annotations

import datetime as dt
import uuid

from donations import stripe_api
from emails.links import absolute_url, sign, unsign

PURPOSE = "donations.portal"
# Every receipt carries a fresh link; one from an old receipt still works for a year.
LINK_AGE = dt.timedelta(days=400)


def portal_link(customer: str) -> str:
    return absolute_url("donation-manage", token=sign(PURPOSE, {"c": customer}))


def customer_of(token: str) -> str:
    """The Stripe customer the token was made for; emails.links.LinkInvalid / LinkExpired otherwise."""
    from emails.links import LinkInvalid

    customer = unsign(PURPOSE, token, max_age=LINK_AGE).get("c")
    if not isinstance(customer, str) or not customer:
        raise LinkInvalid("no customer")
    return customer


def open_portal(token: str, *, return_url: str) -> str:
    """A fresh portal session's URL for the token's customer (a session lives a few minutes)."""
    customer = customer_of(token)
    return stripe_api.create_portal_session(
        customer=customer, return_url=return_url, idempotency_key=f"townhall-portal-{uuid.uuid4()}"
    )
