"""Cooperative scoping for the admin: a cooperative's staff see and change only their own rows.

Every scoped model names the lookup from itself to its cooperative. Cooperative staff get
their access from belonging to a cooperative, not from Django's per-model permissions, so a
user created with just `is_staff` and a cooperative can work; superusers and central staff
keep Django's permission checks and see every cooperative.
"""

from django.db import models

from shop.models import (
    Batch,
    Cooperative,
    CooperativePhoto,
    Product,
    ProductPhoto,
    StockMovement,
    Variant,
)
from shop.models.gifts import CooperativeVisit
from traceability.models import (
    Recall,
    RecallNotice,
    ScanCount,
    SuspiciousProductReport,
    TraceEvent,
    Village,
)

COOPERATIVE_LOOKUPS: dict[type[models.Model], str] = {
    Cooperative: "pk",
    Product: "cooperative",
    ProductPhoto: "product__cooperative",
    CooperativePhoto: "cooperative",
    CooperativeVisit: "cooperative",
    Variant: "product__cooperative",
    Batch: "variant__product__cooperative",
    StockMovement: "batch__variant__product__cooperative",
    TraceEvent: "batch__variant__product__cooperative",
    ScanCount: "batch__variant__product__cooperative",
    # The cooperative selling the GTIN scanned; a GTIN nobody sells: the shop's admins only.
    SuspiciousProductReport: "cooperative",
    Recall: "batch__variant__product__cooperative",
    RecallNotice: "recall__batch__variant__product__cooperative",
}

# What each model's __str__ reads, so a select of choices costs one query.
LABEL_RELATIONS: dict[type[models.Model], tuple[str, ...]] = {
    Variant: ("product",),
    Batch: ("variant__product",),
    Village: ("province",),
}


def confined_to(user) -> int | None:
    """The cooperative a user is confined to, or None for superusers and central staff."""
    if user.is_superuser or not getattr(user, "is_cooperative_staff", False):
        return None
    return user.cooperative_id


def scoped(queryset: models.QuerySet, cooperative_id: int) -> models.QuerySet:
    return queryset.filter(**{COOPERATIVE_LOOKUPS[queryset.model]: cooperative_id})


def cooperative_of(obj: models.Model) -> int | None:
    """Walk from a scoped object to its cooperative's id (related rows are cached on obj)."""
    *hops, last = COOPERATIVE_LOOKUPS[type(obj)].split("__")
    if last == "pk":
        return obj.pk
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


class CooperativeScopedAdmin:
    """Mixin for ModelAdmin and InlineModelAdmin of the models in COOPERATIVE_LOOKUPS.

    Lists, change, delete and history pages only find the staff's own rows (another
    cooperative's ids answer like a missing object), and every foreign-key select offers
    only their own rows, so a posted foreign id fails validation. On an inline, `obj` is
    the parent, whose own admin has already been scoped.
    """

    staff_may_add = True
    staff_may_change = True
    staff_may_delete = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        cooperative_id = confined_to(request.user)
        return queryset if cooperative_id is None else scoped(queryset, cooperative_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and (
            related in COOPERATIVE_LOOKUPS or related in LABEL_RELATIONS
        ):
            queryset = related._default_manager.select_related(*LABEL_RELATIONS.get(related, ()))
            cooperative_id = confined_to(request.user)
            if cooperative_id is not None and related in COOPERATIVE_LOOKUPS:
                queryset = scoped(queryset, cooperative_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def staff_owns(self, cooperative_id: int, obj) -> bool:
        return obj is None or cooperative_of(obj) == cooperative_id

    def has_module_permission(self, request):
        if confined_to(request.user) is not None:
            return True
        return super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_view_permission(request, obj)
        return self.staff_owns(cooperative_id, obj)

    def has_add_permission(self, request, *args):
        # ModelAdmin passes (request); an inline passes (request, parent).
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_add_permission(request, *args)
        return self.staff_may_add and self.staff_owns(cooperative_id, args[0] if args else None)

    def has_change_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_change_permission(request, obj)
        return self.staff_may_change and self.staff_owns(cooperative_id, obj)

    def has_delete_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_delete_permission(request, obj)
        return self.staff_may_delete and self.staff_owns(cooperative_id, obj)


class HiddenFromCooperativeStaff:
    """Mixin for admins a cooperative's staff must never reach, whatever permissions
    they were given (users, other cooperatives' people)."""

    def has_module_permission(self, request):
        return confined_to(request.user) is None and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return confined_to(request.user) is None and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return confined_to(request.user) is None and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return confined_to(request.user) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return confined_to(request.user) is None and super().has_delete_permission(request, obj)


class OrderRowsInline:
    """Rows listed on the order's page; the order's own admin decided who sees it."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
