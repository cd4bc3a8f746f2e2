"""Admin for provinces and villages of origin: reference data every cooperative shares."""

from django.contrib import admin

from traceability.models import Province, Village


def is_cooperative_staff(user) -> bool:
    return not user.is_superuser and getattr(user, "is_cooperative_staff", False)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Cooperative staff may look every province and village up: they pick them on their
    batches and the rows hold nothing private."""

    def has_module_permission(self, request):
        return is_cooperative_staff(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_cooperative_staff(request.user) or super().has_view_permission(request, obj)


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ("name", "code", "codename")
    search_fields = ("name", "codename")

    # The 34 provinces of the 2025 merger come from the data migration.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Village)
class VillageAdmin(ReferenceDataAdmin):
    list_display = ("name", "commune", "province", "latitude", "longitude")
    list_select_related = ("province",)
    list_filter = ("province",)
    search_fields = ("name", "commune")

    def has_add_permission(self, request):
        # A cooperative's staff add the village a new batch comes from; changing or
        # deleting a village that others' batches point at stays with the shop's staff.
        return is_cooperative_staff(request.user) or super().has_add_permission(request)
