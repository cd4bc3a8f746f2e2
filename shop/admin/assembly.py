"""Gift-box assembly runs in the admin: read-only, for superusers. Runs are made through
shop.fulfilment.assembly (the workspace's gift-box page), never typed in here."""

from django.contrib import admin

from shop.models import AssemblyInput, AssemblyRun, Transfer


class _ReadOnly:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class AssemblyInputInline(_ReadOnly, admin.TabularInline):
    model = AssemblyInput
    fields = ("batch", "quantity")
    readonly_fields = fields
    extra = 0


class TransferInline(_ReadOnly, admin.TabularInline):
    model = Transfer
    fields = ("batch", "quantity", "from_cooperative", "status", "sent_at", "received_at")
    readonly_fields = fields
    extra = 0


@admin.register(AssemblyRun)
class AssemblyRunAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ("box_batch", "gift_set", "boxes", "assembler", "created_at")
    list_select_related = ("box_batch", "gift_set__product", "assembler")
    list_filter = ("assembler",)
    fields = ("gift_set", "box_batch", "boxes", "assembler", "created_by", "created_at")
    readonly_fields = fields
    inlines = [AssemblyInputInline, TransferInline]
