from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.campaigns import Campaign
from campaigns.models.dates import ends_after_it_starts
from campaigns.models.places import Place


class OfficialQuerySet(models.QuerySet["Official"]):
    def current(self, on: dt.date | None = None) -> OfficialQuerySet:
        """In office on that day: active, their term begun and not yet over."""
        day = on or timezone.localdate()
        return self.filter(is_active=True).filter(
            models.Q(term_start__isnull=True) | models.Q(term_start__lte=day),
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=day),
        )


class Official(models.Model):
    """A council member or mayor. Their e-mail address is for letters and never public."""

    class Office(models.TextChoices):
        COUNCIL_MEMBER = "council_member", _("Council member")
        COUNCIL_PRESIDENT = "council_president", _("Council president")
        MAYOR = "mayor", _("Mayor")
        COMMISSIONER = "commissioner", _("Commissioner")
        SUPERVISOR = "supervisor", _("Supervisor")
        OTHER = "other", _("Other office")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="officials")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="officials")
    name = models.CharField(max_length=200)
    office = models.CharField(max_length=20, choices=Office.choices, default=Office.COUNCIL_MEMBER)
    district = models.CharField(max_length=100, blank=True, help_text="District or ward; blank for at-large.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # A stable id from the list the official was imported from (an Open States ocd-person id).
    external_id = models.CharField(max_length=200, blank=True, db_index=True)
    # Set when mail to the address hard-bounced or was reported as spam. Letters still go out (they
    # are the point of a campaign); organizers see the flag and look for a better address.
    mail_problem = models.CharField(max_length=100, blank=True, help_text="e.g. hard bounce, spam complaint")
    mail_problem_at = models.DateTimeField(null=True, blank=True)
    # Asked (through their position link) for one daily digest of letters instead of each letter.
    letters_digest_only = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects: ClassVar[OfficialQuerySet] = OfficialQuerySet.as_manager()  # type: ignore[assignment]
    audit_redacted_fields = ("phone",)  # with the e-mail (redacted as an EmailField)
    _loaded_email: str | None = None  # as read from the database: save() compares the address with it

    class Meta:
        ordering = ("place", "office", "name")
        constraints = (ends_after_it_starts("term_start", "term_end", name="official_term_ends_after_it_starts"),)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_office_display()}, {self.place})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A mail problem belongs to the address it was reported for: a new address starts clean
        # (an organizer, the admin or an import found a better one).
        if self.mail_problem and self._loaded_email is not None and self.email != self._loaded_email:
            self.mail_problem, self.mail_problem_at = "", None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "mail_problem", "mail_problem_at"}
        super().save(*args, **kwargs)
        self._loaded_email = self.email

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Official:
        official = super().from_db(db, field_names, values)
        official._loaded_email = official.__dict__.get("email")
        return official

    @property
    def audit_label(self) -> str:
        return str(self)[:200]
