"""Admin for users, who sign in by email. Only the shop's own staff manage accounts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from shop.admin.scoping import HiddenFromCooperativeStaff
from shop.models import ApiToken, User


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        # The manager stores addresses lower-cased; the unique check must see the same.
        return self.cleaned_data["email"].lower()


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


@admin.register(User)
class UserAdmin(HiddenFromCooperativeStaff, DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Cooperative"), {"fields": ("cooperative",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "cooperative",
                    "is_staff",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "cooperative", "is_staff", "is_superuser")
    list_select_related = ("cooperative",)
    list_filter = ("is_staff", "is_superuser", "is_active", "cooperative")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)


@admin.register(ApiToken)
class ApiTokenAdmin(HiddenFromCooperativeStaff, admin.ModelAdmin):
    """Tokens are issued by `manage.py issue_api_token` (the key is shown once); here the
    shop's operators see who holds one and revoke it by deleting the row."""

    list_display = ("name", "user", "created_at", "last_used_at")
    search_fields = ("name", "user__email")
    readonly_fields = ("user", "name", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
