"""The signed checkpoint log: an append-only public record of every batch's chain head.

Written only by traceability.checkpoints (the one holder of the signing key). Each row is a
statement signed with Ed25519: "at this time, batch B's chain had N events ending in hash
H", naming the digest of the checkpoint before it, so a third party holding the public key
can tell a chain that was cut, rewritten or extended after the fact from one that grew
honestly.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Checkpoint(models.Model):
    """One signed statement of the log. `body` is the exact signed text (canonical JSON)."""

    sequence = models.PositiveIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("signed at"), default=timezone.now, editable=False)
    body = models.TextField(_("signed body"), editable=False)
    signature = models.CharField(_("signature (base64)"), max_length=120, editable=False)
    key_id = models.CharField(_("key id"), max_length=64, editable=False)
    previous_digest = models.CharField(max_length=64, editable=False)
    # SHA-256 over body and signature: what the next checkpoint names as its previous.
    digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("signed checkpoint")
        verbose_name_plural = _("signed checkpoints")
        constraints = [
            models.CheckConstraint(condition=Q(sequence__gte=1), name="checkpoint_sequence_gte_1")
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} · {self.created_at:%Y-%m-%d %H:%M}"


class CheckpointHead(models.Model):
    """One batch's chain head as a checkpoint states it (an index of the signed body)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="heads", editable=False
    )
    batch_id = models.PositiveIntegerField(_("batch"), editable=False)
    events = models.PositiveIntegerField(_("events"), editable=False)
    head = models.CharField(_("head hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["checkpoint", "batch_id"]
        verbose_name = _("checkpointed chain head")
        verbose_name_plural = _("checkpointed chain heads")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "batch_id"], name="checkpoint_head_once")
        ]
        indexes = [models.Index(fields=["batch_id", "-checkpoint"], name="checkpoint_head_batch")]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.events} → {self.head[:12]}"
