"""Reads and the form of the workspace's gift-box pages: the cooperative's own gift sets,
the lots a run could take, and the transfers it has to send or receive. Every read is
scoped to the staff's cooperative, so another cooperative's ids find nothing."""

from dataclasses import dataclass

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shop.fulfilment.assembly import MAX_BOXES
from shop.models import Batch, GiftSetComponent, Transfer, TransferStatus, Variant


def gift_sets(*, cooperative_id: int) -> QuerySet[Variant]:
    """The cooperative's gift-set variants, with their recipe."""
    return (
        Variant.objects.filter(product__cooperative_id=cooperative_id, product__is_gift_set=True)
        .select_related("product")
        .prefetch_related("components__component__product")
        .order_by("product__name", "pk")
    )


def gift_set(*, cooperative_id: int, variant_id: int) -> Variant:
    """One of the cooperative's gift sets; raises Variant.DoesNotExist for any other id."""
    return gift_sets(cooperative_id=cooperative_id).get(pk=variant_id)


@dataclass(frozen=True)
class ComponentLots:
    """A component of the set and the on-sale lots it could come from (FEFO order)."""

    component: GiftSetComponent
    lots: list[Batch]


def component_lots(*, gift_set: Variant) -> list[ComponentLots]:
    """For each component, its on-sale lots with free units (`available`), FEFO first, in
    two queries however many components."""
    parts = list(gift_set.components.all())
    lots = list(
        Batch.objects.on_sale()
        .filter(variant_id__in=[p.component_id for p in parts])
        .select_related("variant__product__cooperative")
        .with_available()
        .filter(available__gt=0)
        .fefo()
    )
    return [ComponentLots(p, [b for b in lots if b.variant_id == p.component_id]) for p in parts]


def transfers_to_send(*, cooperative_id: int) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(from_cooperative_id=cooperative_id, status=TransferStatus.REQUESTED)
        .select_related("batch__variant__product", "to_cooperative", "run__box_batch")
        .order_by("created_at", "pk")
    )


def transfers_to_receive(*, cooperative_id: int) -> QuerySet[Transfer]:
    """Transfers coming to the cooperative, still on their way (requested or sent)."""
    return (
        Transfer.objects.filter(to_cooperative_id=cooperative_id)
        .exclude(status=TransferStatus.RECEIVED)
        .select_related("batch__variant__product", "from_cooperative", "run__box_batch")
        .order_by("created_at", "pk")
    )


def own_transfer_exists(*, cooperative_id: int, transfer_id: int, side: str) -> bool:
    """Whether the transfer goes out of (`side="from"`) or into (`"to"`) the cooperative."""
    scope = {f"{side}_cooperative_id": cooperative_id}
    return Transfer.objects.filter(pk=transfer_id, **scope).exists()


class AssembleForm(forms.Form):
    """How many boxes, an optional lot code, and optionally a lot per component (FEFO when
    left empty)."""

    boxes = forms.IntegerField(label=_("Number of boxes"), min_value=1, max_value=MAX_BOXES)
    lot_code = forms.CharField(
        label=_("Lot code of the boxes"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to use the suggested code."),
    )

    def __init__(self, *args, choices: list[ComponentLots], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        for item in choices:
            options = [("", _("Earliest best-before first (suggested)"))] + [
                (str(lot.pk), f"{lot.lot_code} · {lot.best_before:%d/%m/%Y} · {lot.available}")
                for lot in item.lots
            ]
            self.fields[self.field_name(item)] = forms.TypedChoiceField(
                label=f"{item.component.component.product.name} ({item.component.component.name})",
                choices=options,
                coerce=int,
                empty_value=None,
                required=False,
            )

    @staticmethod
    def field_name(item: ComponentLots) -> str:
        return f"lot_{item.component.component_id}"

    def chosen_lots(self) -> dict[int, int] | None:
        """{batch id: units} when a lot was chosen for every component, else None (FEFO).
        A partial choice is refused by clean()."""
        boxes = self.cleaned_data["boxes"]
        chosen = {
            self.cleaned_data[self.field_name(item)]: item.component.quantity * boxes
            for item in self.choices
            if self.cleaned_data.get(self.field_name(item))
        }
        return chosen or None

    def clean(self):
        data = super().clean()
        picked = [bool(data.get(self.field_name(item))) for item in self.choices]
        if any(picked) and not all(picked):
            raise forms.ValidationError(
                _("Choose a lot for every component, or for none (earliest best-before first).")
            )
        return data
