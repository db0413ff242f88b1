"""A campaign's day end to end, over HTTP only, against gunicorn, a Celery worker per queue and beat
(tests/e2e/stack.py): an organizer signs in with two factors and opens a campaign; a supporter signs,
confirms through the mailed link and writes to their council member, who receives the letter; the
organizer makes a briefing and sends it; a donation is started and Stripe's signed webhook records it.
Then the logs of every process are searched for the client's IP and everyone's e-mail addresses.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.donations import stripe_events
from tests.donations.stripe_server import FakeStripe, serve
from tests.e2e.stack import CLIENT_IP, QUEUES, Browser, Stack, links_in, malformed_request, running_stack
from tests.emails.smtp_sink import SmtpSink, running_sink
from tests.totp import current_code

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ORGANIZER = "olivia.organizer@example.org"
SUPPORTER = "dana.scully@example.net"
OFFICIAL = "ana.rivera@bloomfield.example.gov"
PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
BLOOMFIELD_ZIP = "07003"
ORGANIZER_API = "/api/v1/organizer/campaigns/ring"
LETTER = (
    "Dear {{ official_name }},\n\nI live in {{ place }} and I ask the council to end the police "
    "partnership with Amazon Ring. Police should not ask residents for camera footage without a warrant.\n\n"
    "Sincerely,\n{{ supporter_name }}"
)

# Reference data and the organizer's account, as an operator sets them up with manage.py (the
# account's TOTP secret is the one their authenticator app holds: the test computes its codes).
SEED = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import User
from campaigns.models import Place
user = User.objects.create_user(email={ORGANIZER!r}, password={PASSWORD!r})
EmailAddress.objects.create(user=user, email={ORGANIZER!r}, verified=True, primary=True)
TOTP.activate(user, {TOTP_SECRET!r})
place = Place.objects.create(
    ocd_id="ocd-division/country:us/state:nj/place:bloomfield", name="Bloomfield", kind=Place.Kind.TOWNSHIP, state="NJ"
)
print(place.pk)
"""
# No route, page or admin form creates a petition (see the report): the operator's shell does.
PETITION = """
from campaigns.models import Campaign, Petition
Petition.objects.create(
    campaign=Campaign.objects.get(slug="ring"), slug="end-ring", title="End it", text="We ask our council to end it."
)
"""


@pytest.fixture(scope="module")
def stripe() -> Iterator[FakeStripe]:
    fake, server = serve()
    yield fake
    server.shutdown()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with running_sink() as server:
        yield server


@pytest.fixture
def stack(sink: SmtpSink, stripe: FakeStripe, tmp_path: Path) -> Iterator[Stack]:
    with running_stack(sink=sink, stripe=stripe, workdir=tmp_path) as running:
        running.manage("migrate", "--no-input")
        running.start_all()
        yield running


def mail_to(sink: SmtpSink, address: str, *, count: int = 1, timeout: float = 30) -> list[EmailMessage]:
    """The messages the sink received for `address`, once there are `count` of them."""
    deadline = time.monotonic() + timeout
    while True:
        found = [message for message in sink.messages() if address in str(message["To"])]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"{len(found)} of {count} messages to {address} in {timeout} s"
            return found
        time.sleep(0.1)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def eventually(check: Callable[[], Any], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, f"not true within {timeout} s"
            return result
        time.sleep(0.2)


def fresh_code(secret: str) -> str:
    """A code with a few seconds of its 30-second window left, so the server checks it in the same window."""
    if time.time() % 30 > 26:
        time.sleep(30 - time.time() % 30 + 0.1)
    return current_code(secret)


def confirm_through_mail(browser: Browser, stack: Stack, message: EmailMessage) -> None:
    [link] = [link for link in links_in(text_of(message), stack.base_url) if "/confirm/" in link]
    confirmed = browser.submit(link.removeprefix(stack.base_url), {})
    assert confirmed.status_code == 200, confirmed.text[:500]


def test_a_campaign_day_over_http_leaves_no_ip_or_address_in_any_log(stack: Stack, sink: SmtpSink) -> None:
    place_id = int(stack.shell(SEED).strip())

    # The organizer: password, then a code from the authenticator app; then a campaign.
    organizer = Browser(stack.base_url)
    after_password = organizer.submit("/accounts/login/", {"login": ORGANIZER, "password": PASSWORD})
    assert after_password.status_code == 302
    assert after_password.headers["Location"].startswith("/accounts/2fa/authenticate/")
    after_code = organizer.submit("/accounts/2fa/authenticate/", {"code": fresh_code(TOTP_SECRET)})
    assert after_code.status_code == 302, after_code.text[:500]
    assert organizer.api("GET", "/api/v1/organizer/me/").json()["email"] == ORGANIZER
    opened = organizer.api(
        "POST", "/api/v1/organizer/campaigns/", {"slug": "ring", "title": "End Ring partnerships", "is_public": True}
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["my_role"] == "owner"
    stack.shell(PETITION)
    tracked = organizer.api("POST", f"{ORGANIZER_API}/places/", {"place_id": place_id})
    assert tracked.status_code in (200, 201), tracked.text
    official = organizer.api(
        "POST", f"{ORGANIZER_API}/officials/", {"place": place_id, "name": "Ana Rivera", "email": OFFICIAL}
    )
    assert official.status_code == 201, official.text
    drive = organizer.api(
        "POST",
        f"{ORGANIZER_API}/letter-drives/",
        {
            "slug": "end-ring",
            "title": "Write to your council",
            "subject_template": "End the Ring partnership in {{ place }}",
            "body_template": LETTER,
        },
    )
    assert drive.status_code == 201, drive.text

    # The supporter signs and confirms through the mailed link.
    supporter = Browser(stack.base_url)
    signed = supporter.api(
        "POST",
        "/api/v1/campaigns/ring/petitions/end-ring/signatures/",
        {"email": SUPPORTER, "name": "Dana Scully", "zip": BLOOMFIELD_ZIP},
    )
    assert signed.status_code == 202, signed.text
    [confirmation] = mail_to(sink, SUPPORTER)
    confirm_through_mail(supporter, stack, confirmation)
    eventually(lambda: supporter.api("GET", "/api/v1/campaigns/ring/petitions/end-ring/").json()["count"] == 1)

    # Then writes to the council; the letter leaves once this visit's new confirmation is used.
    letter_text = LETTER.replace("camera footage", "doorbell camera footage")
    written = supporter.api(
        "POST",
        "/api/v1/campaigns/ring/letters/end-ring/letters/",
        {"email": SUPPORTER, "name": "Dana Scully", "zip": BLOOMFIELD_ZIP, "text": letter_text},
    )
    assert written.status_code == 202, written.text
    second = mail_to(sink, SUPPORTER, count=2)[-1]
    confirm_through_mail(supporter, stack, second)
    [letter] = mail_to(sink, OFFICIAL)
    assert str(letter["Subject"]).startswith("End the Ring partnership in Bloomfield")
    assert SUPPORTER in str(letter["Reply-To"])
    assert "Dear Ana Rivera" in text_of(letter) and "doorbell camera footage" in text_of(letter)

    # The organizer makes a briefing (rendered by the heavy worker) and sends it to the official.
    asked = organizer.api("POST", f"{ORGANIZER_API}/briefings/", {"place": place_id})
    assert asked.status_code == 202, asked.text
    edition = asked.json()["id"]
    eventually(
        lambda: organizer.api("GET", f"{ORGANIZER_API}/briefings/{edition}/").json()["status"] in ("done", "failed")
    )
    detail = organizer.api("GET", f"{ORGANIZER_API}/briefings/{edition}/").json()
    assert detail["status"] == "done", detail
    pdf = organizer.api("GET", f"{ORGANIZER_API}/briefings/{edition}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sent = organizer.api("POST", f"{ORGANIZER_API}/briefings/{edition}/send/", {})
    assert sent.status_code == 201, sent.text
    briefing = mail_to(sink, OFFICIAL, count=2)[-1]
    [pdf_link] = [link for link in links_in(text_of(briefing), stack.base_url) if "/pdf/" in link]
    official_copy = Browser(stack.base_url).get(pdf_link.removeprefix(stack.base_url))
    assert official_copy.status_code == 200 and official_copy.content == pdf.content

    # A donation: the supporter starts a checkout, Stripe (the stand-in) then posts the signed event.
    started = supporter.api(
        "POST",
        "/api/v1/campaigns/ring/donations/checkout/",
        {"amount": 2500, "frequency": "one_time", "email": SUPPORTER},
    )
    assert started.status_code == 201, started.text
    session = stack.stripe.calls("/v1/checkout/sessions")[-1].params
    meta = {key[len("metadata[") : -1]: value for key, value in session.items() if key.startswith("metadata[")}
    paid = stripe_events.event(
        "checkout.session.completed",
        stripe_events.checkout_session(
            meta=meta, session_id=started.json()["checkout_url"].rsplit("/", 1)[-1], email=SUPPORTER
        ),
        created=int(time.time()),
    )
    body = stripe_events.dump(paid)
    stripe = Browser(stack.base_url)
    delivered = stripe.request(
        "POST",
        "/donations/stripe/webhook/",
        content=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": stripe_events.signature_header(body)},
    )
    assert delivered.status_code == 200, delivered.text
    receipt = mail_to(sink, SUPPORTER, count=3)[-1]
    assert "25.00 USD" in text_of(receipt)
    totals = organizer.api("GET", f"{ORGANIZER_API}/donations/totals/").json()["totals"]
    assert [(row["kind"], row["count"], row["gross"]) for row in totals] == [("one_time", 1, 2500)]

    # A scanner's malformed request, which gunicorn answers (and logs) itself.
    assert malformed_request(stack.web_port).startswith(b"HTTP/1.1 400")

    # Every process has done its part (beat's first due tasks come within seconds of its start, but
    # a quick run can finish before them), then stops as production stops it (SIGTERM).
    eventually(lambda: b"Scheduler: Sending due task" in stack.log("beat"))
    stack.stop_all()
    logs = {name: stack.log(name).decode(errors="replace") for name in ("web", *QUEUES, "beat")}
    assert re.search(r'"POST /api/v1/campaigns/ring/petitions/end-ring/signatures/ HTTP/1.1" 202', logs["web"])
    assert "Invalid request from ip=" in logs["web"]  # gunicorn's error log names the client here (redacted)
    # Each task ran on its queue's worker, and only there.
    ran = {name: set(re.findall(r"Task ([\w.]+)\[[\w-]+\] received", logs[name])) for name in QUEUES}
    assert {"emails.tasks.deliver_transactional", "donations.tasks.process_stripe_event"} <= ran["transactional"]
    assert "campaigns.letters.tasks.plan_letter_deliveries" in ran["bulk"]
    assert ran["heavy"] == {"briefings.tasks.generate_edition"}
    assert not (ran["transactional"] & ran["bulk"]) and not ((ran["transactional"] | ran["bulk"]) & ran["heavy"])
    assert "Scheduler: Sending due task" in logs["beat"]
    secrets = {segment for message in sink.messages() for segment in signed_tokens(message, stack.base_url)}
    assert len(secrets) >= 4  # two confirmations, the official's position link, the briefing's PDF link
    found = leaks(logs, stack.server_ports(), secrets)
    assert not found, json.dumps(found, indent=1)


def signed_tokens(message: EmailMessage, base_url: str) -> set[str]:
    """The secrets of the links a message carries: path segments signed by emails.links.sign."""
    paths = [urlsplit(link).path for link in links_in(text_of(message), base_url)]
    return {segment for path in paths for segment in path.split("/") if ":" in segment}


def leaks(logs: dict[str, str], server_ports: set[int], secrets: set[str]) -> dict[str, list[str]]:
    """Lines naming a person or carrying a mailed link's secret: an e-mail address (anyone's), the
    client's IP, any IP that is not a server's own listening address (127.0.0.1:<port of gunicorn,
    PostgreSQL, Redis, the sink or Stripe>), or one of `secrets`."""
    server = re.compile(r"127\.0\.0\.1:(?:" + "|".join(str(port) for port in sorted(server_ports)) + r")\b")
    email = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    found: dict[str, list[str]] = {}
    for name, text in logs.items():
        for line in text.splitlines():
            addresses = _CANDIDATE.findall(server.sub("", line))
            named = CLIENT_IP in line or email.search(line) or any(_is_ip(word) for word in addresses)
            if named or any(secret in line for secret in secrets):
                found.setdefault(name, []).append(line)
    return found


# Dotted quads and colon-separated hex runs; ipaddress decides (times such as 05:48:12 are not IPs).
_CANDIDATE = re.compile(
    r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])|(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}"
)


def _is_ip(word: str) -> bool:
    try:
        ipaddress.ip_address(word)
    except ValueError:
        return False
    return True
