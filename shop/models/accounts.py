"""Accounts sign in by email. Cooperative staff belong to exactly one cooperative."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    cooperative = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Staff of a cooperative see and change only that cooperative's data."),
    )
    # Empty: no choice made; the workspace then speaks Vietnamese, the shop the browser's.
    preferred_language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=[("en", "English"), ("vi", "Tiếng Việt")],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = EmailUserManager()

    @property
    def is_cooperative_staff(self) -> bool:
        return self.is_active and self.is_staff and self.cooperative_id is not None
