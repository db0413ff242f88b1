"""Django admin for raw data, with the same per-campaign roles as the API, and audited writes."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet, URLField
from django.http import HttpRequest

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import (
    Agency,
    ApiToken,
    Campaign,
    Citation,
    EmbedOrigin,
    Invitation,
    Membership,
    Official,
    Partnership,
    Petition,
    Place,
    PlaceStatus,
    Role,
    Signature,
    Source,
    TimelineEvent,
)
from campaigns.models.memberships import ROLE_RANK
from privacy.read_only_admin import OperatorReadOnlyAdmin

# From a model to its Campaign, for models that do not reach it through a `campaign` field.
CAMPAIGN_PATHS: dict[type[Model], str] = {
    Campaign: "",
    ApiToken: "membership__campaign",
    Partnership: "agency__campaign",
    Citation: "source__campaign",
}


def roles_allowing(needed: Role) -> list[str]:
    return [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[needed]]


def campaign_path_of(model: type[Model]) -> str | None:
    """How `model` reaches its campaign; None for reference data that belongs to none (places)."""
    if model in CAMPAIGN_PATHS:
        return CAMPAIGN_PATHS[model]
    return "campaign" if any(field.name == "campaign" for field in model._meta.concrete_fields) else None


def staff_campaigns(request: HttpRequest, needed: Role) -> QuerySet[Campaign]:
    if not isinstance(request.user, User) or not request.user.is_staff:
        return Campaign.objects.none()
    return Campaign.objects.filter(memberships__user=request.user, memberships__role__in=roles_allowing(needed))


def scoped_choices(db_field: ForeignKey[Any, Any], request: HttpRequest, needed: Role) -> QuerySet[Any] | None:
    """A foreign key's choices cut down to the campaigns where the staff member has `needed`,
    so a form neither lists nor accepts another campaign's rows; None when nothing to cut."""
    model = db_field.related_model
    if not isinstance(model, type):
        return None
    path = campaign_path_of(model)
    if request.user.is_superuser or path is None:
        return None
    lookup = f"{path}__in" if path else "pk__in"
    choices: QuerySet[Any] = model._default_manager.filter(**{lookup: staff_campaigns(request, needed)})
    return choices


class CampaignScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A staff organizer sees only their campaigns' rows, and changes them only with the role."""

    campaign_path = "campaign"  # from this model to its Campaign ("" for Campaign itself)
    view_role = Role.VIEWER
    change_role = Role.EDITOR
    # "example.org/report" means https, as Django 6 will assume.
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=self._rows_allowed(request, self.view_role)).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or self._campaigns(request, self.view_role).exists()

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj, self.view_role)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj, self.change_role)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request, obj, self.change_role)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        choices = scoped_choices(db_field, request, self.change_role)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def snapshot(self, obj: Any) -> dict[str, Any]:
        return audit.snapshot(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = self.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        self._audit(request, action, obj, before=before, after=self.snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditEvent.Action.DELETE, obj, before=self.snapshot(obj))
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Save inline rows, auditing each created, changed or deleted one under the parent's campaign."""
        campaign_id = self._campaign_id(form.instance)
        saved = formset.model._default_manager.in_bulk([f.instance.pk for f in formset.initial_forms])
        before = {pk: audit.snapshot(row) for pk, row in saved.items()}
        for gone in formset.deleted_forms:
            if gone.instance.pk in before:  # deleting removes the pk, so record it first
                self._audit(
                    request, AuditEvent.Action.DELETE, gone.instance, campaign_id, before=before[gone.instance.pk]
                )
        super().save_formset(request, form, formset, change)
        for row in formset.new_objects:
            self._audit(request, AuditEvent.Action.CREATE, row, campaign_id, after=audit.snapshot(row))
        for row, _fields in formset.changed_objects:
            snapshots = {"before": before.get(row.pk), "after": audit.snapshot(row)}
            self._audit(request, AuditEvent.Action.UPDATE, row, campaign_id, **snapshots)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def _allowed(self, request: HttpRequest, obj: Model | None, needed: Role) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return self._campaigns(request, needed).exists()
        return self._campaigns(request, needed).filter(pk=self._campaign_id(obj)).exists()

    def _campaigns(self, request: HttpRequest, needed: Role) -> QuerySet[Campaign]:
        return staff_campaigns(request, needed)

    def _rows_allowed(self, request: HttpRequest, needed: Role) -> QuerySet[Any]:
        campaigns = self._campaigns(request, needed)
        lookup = f"{self.campaign_path}__in" if self.campaign_path else "pk__in"
        rows: QuerySet[Any] = self.model._default_manager.filter(**{lookup: campaigns}).values("pk")
        return rows

    def _campaign_id(self, obj: Model) -> int:
        target: Any = obj
        for step in filter(None, self.campaign_path.split("__")):
            target = getattr(target, step)
        return int(target.pk)

    def _audit(
        self, request: HttpRequest, action: str, obj: Any, campaign_id: int | None = None, **snapshots: Any
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        if campaign_id is None:
            campaign_id = self._campaign_id(obj)
        audit.record_write(actor=actor, via="admin", action=action, instance=obj, campaign_id=campaign_id, **snapshots)


class CampaignScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """Rows edited with their parent (evidence, partnerships): the parent's campaign role decides.

    The parent admin's save_formset audits them.
    """

    extra = 0

    def _parent_admin(self) -> CampaignScopedAdmin:
        # Inlines of this kind hang only on campaign-scoped admins.
        return cast(CampaignScopedAdmin, self.admin_site._registry[self.parent_model])

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None) -> bool:  # type: ignore[override]
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        choices = scoped_choices(db_field, request, self._parent_admin().change_role)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Campaign)
class CampaignAdmin(CampaignScopedAdmin):
    campaign_path = ""
    change_role = Role.OWNER
    list_display = ("title", "slug", "is_public", "created")
    list_filter = ("is_public",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Membership)
class MembershipAdmin(CampaignScopedAdmin):
    view_role = change_role = Role.OWNER
    list_display = ("user", "campaign", "role", "created")
    list_filter = ("role",)
    raw_id_fields = ("user", "campaign")


@admin.register(Invitation)
class InvitationAdmin(CampaignScopedAdmin):
    view_role = change_role = Role.OWNER
    list_display = ("email", "campaign", "role", "created", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = ("digest", "accepted_at", "accepted_by", "invited_by")
    raw_id_fields = ("campaign",)


@admin.register(ApiToken)
class ApiTokenAdmin(CampaignScopedAdmin):
    campaign_path = "membership__campaign"
    view_role = change_role = Role.OWNER
    list_display = ("name", "prefix", "membership", "role", "created", "last_used_at", "revoked_at")
    # A token stays with the member it was issued to, and a revoked one stays revoked.
    readonly_fields = ("membership", "role", "prefix", "digest", "last_used_at", "revoked_at")
    raw_id_fields = ("membership",)


# --- The tracker


def campaign_id_of(row: Model | None) -> int | None:
    """The campaign of a cited thing (partnership, event, place status), also one not saved yet."""
    if isinstance(row, Partnership):
        agencies = Agency.objects.filter(pk=row.agency_id)
        return agencies.values_list("campaign_id", flat=True).first()
    campaign_id: int | None = getattr(row, "campaign_id", None)
    return campaign_id


class CitationForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        source = data.get("source")
        cited = data.get("partnership") or data.get("event") or data.get("place_status")
        if source is not None and cited is not None and source.campaign_id != campaign_id_of(cited):
            self.add_error("source", "Cite a source from the same campaign's library.")
        return data


class CitationInline(CampaignScopedInline):
    model = Citation
    form = CitationForm
    fields = ("source", "locator", "quote", "note")


class PartnershipCitationInline(CitationInline):
    fk_name = "partnership"


class EventCitationInline(CitationInline):
    fk_name = "event"


class PlaceStatusCitationInline(CitationInline):
    fk_name = "place_status"


class PartnershipInline(CampaignScopedInline):
    model = Partnership
    fields = ("vendor", "program", "started_on", "started_precision", "ended_on", "ended_precision", "how_known")
    show_change_link = True


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Reference data shared by every campaign: the operator's alone, like the importers."""

    list_display = ("name", "kind", "state", "county_name", "population", "ocd_id")
    list_filter = ("kind", "state")
    search_fields = ("name", "ocd_id")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(Place.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        self._audit(request, action, obj, before=before, after=audit.snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditEvent.Action.DELETE, obj, before=audit.snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def _audit(self, request: HttpRequest, action: str, obj: Place, **snapshots: Any) -> None:
        actor = request.user if isinstance(request.user, User) else None
        audit.record_write(actor=actor, via="admin", action=action, instance=obj, campaign_id=None, **snapshots)


@admin.register(EmbedOrigin)
class EmbedOriginAdmin(CampaignScopedAdmin):
    """Partner sites that may frame the campaign's widget (web.embeds): owners decide, as in the API."""

    change_role = Role.OWNER
    list_display = ("origin", "referrer", "note", "campaign", "created")
    list_select_related = ("campaign",)
    search_fields = ("origin", "referrer", "note")
    raw_id_fields = ("campaign",)


@admin.register(Source)
class SourceAdmin(CampaignScopedAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "is_verified", "campaign")
    list_filter = ("kind", "is_verified")
    list_select_related = ("campaign",)
    search_fields = ("title", "publisher", "url")


@admin.register(Agency)
class AgencyAdmin(CampaignScopedAdmin):
    list_display = ("name", "kind", "campaign")
    list_filter = ("kind",)
    list_select_related = ("campaign",)
    search_fields = ("name",)
    raw_id_fields = ("places",)
    inlines = (PartnershipInline,)


@admin.register(Partnership)
class PartnershipAdmin(CampaignScopedAdmin):
    campaign_path = "agency__campaign"
    list_display = ("agency", "vendor", "program", "period_display")
    list_filter = ("vendor", "program")
    list_select_related = ("agency",)
    search_fields = ("agency__name",)
    inlines = (PartnershipCitationInline,)


class MailProblemFilter(admin.SimpleListFilter):
    title = "mail problem"
    parameter_name = "mail_problem"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Reported"), ("no", "None")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.exclude(mail_problem="")
        if self.value() == "no":
            return queryset.filter(mail_problem="")
        return queryset


@admin.register(Official)
class OfficialAdmin(CampaignScopedAdmin):
    list_display = ("name", "office", "place", "campaign", "is_active", "mail_problem")
    list_filter = ("office", "is_active", MailProblemFilter)
    # Reported by the mail provider (campaigns.receivers), never set by hand.
    readonly_fields = ("mail_problem", "mail_problem_at")
    list_select_related = ("place", "campaign")
    search_fields = ("name", "place__name")
    raw_id_fields = ("place",)

    def snapshot(self, obj: Official) -> dict[str, Any]:
        # audit.snapshot() redacts the e-mail field by type; the phone number is a plain CharField.
        return {**audit.snapshot(obj), "phone": audit.REDACTED}


@admin.register(PlaceStatus)
class PlaceStatusAdmin(CampaignScopedAdmin):
    """Statuses change through campaigns.tracker.change_status (the API), cited and on the timeline."""

    list_display = ("place", "status", "campaign", "changed_at")
    list_filter = ("status",)
    list_select_related = ("place", "campaign")
    search_fields = ("place__name",)
    raw_id_fields = ("place",)
    readonly_fields = ("status", "changed_at")
    inlines = (PlaceStatusCitationInline,)


@admin.register(TimelineEvent)
class TimelineEventAdmin(CampaignScopedAdmin):
    list_display = ("title", "place", "occurred_on", "status_before", "status_after", "campaign")
    list_filter = ("status_after",)
    list_select_related = ("place", "campaign")
    search_fields = ("title", "place__name")
    raw_id_fields = ("place",)
    # A status change is recorded by the tracker with the place's status; editing it here would split them.
    readonly_fields = ("status_before", "status_after", "recorded_by", "recorded_at")
    inlines = (EventCitationInline,)


@admin.register(Citation)
class CitationAdmin(CampaignScopedAdmin):
    campaign_path = "source__campaign"
    form = CitationForm
    list_display = ("__str__", "source", "partnership", "event", "place_status")
    list_select_related = ("source",)
    raw_id_fields = ("partnership", "event", "place_status")


# --- Petitions


class PetitionForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        campaign, place = data.get("campaign"), data.get("place")
        tracked = PlaceStatus.objects.filter(campaign=campaign, place=place)
        if campaign is not None and place is not None and not tracked.exists():
            self.add_error("place", "This campaign does not track that place.")
        return data


@admin.register(Petition)
class PetitionAdmin(CampaignScopedAdmin):
    """Organizers usually work through the API (campaigns.api.organizer.petitions): same rules, audited."""

    form = PetitionForm
    list_display = ("title", "slug", "campaign", "place", "is_open", "created")
    list_filter = ("is_open",)
    list_select_related = ("campaign", "place")
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    raw_id_fields = ("place",)


@admin.register(Signature)
class SignatureAdmin(OperatorReadOnlyAdmin):
    """The operator looks, nobody edits: no supporter, comment or IP hash on screen (personal data
    stays with the data-rights flows); moderation goes through the organizer API."""

    fields = (
        "petition",
        "place",
        "review",
        "flags",
        "confirmed_at",
        "created_at",
        "show_name",
        "email_updates",
        "officials_see",
        "consent_version",
        "consented_at",
        "referrer",
    )
    readonly_fields = fields
    list_display = ("__str__", "petition", "place", "review", "confirmed_at", "created_at")
    list_filter = ("review",)
    list_select_related = ("petition", "place")
    # Counting millions of rows for "n of N" on every page is not worth it.
    show_full_result_count = False
