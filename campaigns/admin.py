"""Django admin for raw data, with the same per-campaign roles as the API, and audited writes."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from accounts import audit
from accounts.models import AuditEvent, User
from campaigns.models import ApiToken, Campaign, Invitation, Membership, Role
from campaigns.models.memberships import ROLE_RANK


def roles_allowing(needed: Role) -> list[str]:
    return [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[needed]]


class CampaignScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A staff organizer sees only their campaigns' rows, and changes them only with the role."""

    campaign_path = "campaign"  # from this model to its Campaign ("" for Campaign itself)
    view_role = Role.VIEWER
    change_role = Role.EDITOR

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
        self._audit(request, action, obj, before=before, after=audit.snapshot(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, AuditEvent.Action.DELETE, obj, before=audit.snapshot(obj))
        super().delete_model(request, obj)

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
        if not isinstance(request.user, User) or not request.user.is_staff:
            return Campaign.objects.none()
        return Campaign.objects.filter(memberships__user=request.user, memberships__role__in=roles_allowing(needed))

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

    def _audit(self, request: HttpRequest, action: str, obj: Any, **snapshots: Any) -> None:
        actor = request.user if isinstance(request.user, User) else None
        audit.record_write(
            actor=actor, via="admin", action=action, instance=obj, campaign_id=self._campaign_id(obj), **snapshots
        )


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
    readonly_fields = ("prefix", "digest", "last_used_at")
    raw_id_fields = ("membership",)
