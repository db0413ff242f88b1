"""A mailing: who it goes to (a segment), what it says (one variant per language), and its send."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emails.models import BulkSend


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("signers and letter writers")
    SIGNERS = "signers", _("petition signers")
    LETTER_WRITERS = "letter_writers", _("letter writers")


# The bulk send's states as organizers read them (the emails app's labels are for its own admin).
_BULK_STATE_LABELS = {
    BulkSend.State.DRAFT: _("being filled"),
    BulkSend.State.RUNNING: _("sending"),
    BulkSend.State.PAUSED: _("paused"),
    BulkSend.State.CANCELLED: _("cancelled"),
    BulkSend.State.FINISHED: _("finished"),
}


class MailingQuerySet(models.QuerySet["Mailing"]):
    def due(self) -> MailingQuerySet:
        return self.filter(state=Mailing.State.SCHEDULED, send_at__lte=timezone.now())


class Mailing(models.Model):
    """Composed by an editor, sent by an owner; a status notice is one the tracker's signal composes."""

    class Kind(models.TextChoices):
        MAILING = "mailing", _("mailing")
        STATUS_NOTICE = "status_notice", _("status-change notice")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        PREPARING = "preparing", _("writing one message per recipient")
        SENDING = "sending", _("handed to its bulk send")
        CANCELLED = "cancelled", _("cancelled")

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MAILING)
    title = models.CharField(max_length=200, help_text="For organizers; supporters see the subject.")
    # The segment. Only consenting, confirmed, subscribed and unsuppressed supporters are ever in it.
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    place = models.ForeignKey("campaigns.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    petition = models.ForeignKey(
        "campaigns.Petition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_after = models.DateTimeField(null=True, blank=True, help_text="Only those who signed or wrote after this.")
    default_language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    rate_per_minute = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: the pipeline's default.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    bulk = models.OneToOneField(BulkSend, null=True, blank=True, on_delete=models.PROTECT, related_name="mailing")
    # A status notice exists once per change: the unique event makes a second one impossible.
    event = models.OneToOneField(
        "campaigns.TimelineEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="status_notice"
    )
    # Preparing goes by supporter id, in chunks; a task that stopped resumes after the last one added.
    fill_cursor = models.BigIntegerField(default=0)
    recipients = models.PositiveIntegerField(default=0)
    progressed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[MailingQuerySet] = MailingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(audience="letter_writers", petition__isnull=False),
                name="mailing_letters_have_no_petition",
            ),
        ]
        indexes = [models.Index(fields=["state", "send_at"], name="mailing_due")]

    def __str__(self) -> str:
        return f"mailing {self.pk} ({self.state})"

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def list_key(self) -> str:
        # The unsubscribe scope: one campaign. The pipeline's page also offers "everything".
        return f"campaign:{self.campaign_id}"

    @property
    def status(self) -> str:
        """The state organizers see: once handed over, the bulk send's (sending, paused, finished, …)."""
        if self.state != self.State.SENDING or self.bulk is None:
            return str(self.state)
        return {BulkSend.State.RUNNING: "sending"}.get(BulkSend.State(self.bulk.state), str(self.bulk.state))

    @property
    def status_label(self) -> str:
        """The status in words for a sentence, in the active language."""
        if self.state != self.State.SENDING or self.bulk is None:
            return self.get_state_display()
        return str(_BULK_STATE_LABELS.get(BulkSend.State(self.bulk.state), self.bulk.state))

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT and self.kind == self.Kind.MAILING


class MailingVariant(models.Model):
    """What the mailing says in one language; organizer text with placeholders, never a template."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True, help_text="Sanitized; empty: made from the text.")

    class Meta:
        ordering = ("mailing", "language")
        constraints = [models.UniqueConstraint(fields=["mailing", "language"], name="one_variant_per_language")]

    def __str__(self) -> str:
        return f"{self.mailing_id} ({self.language})"
