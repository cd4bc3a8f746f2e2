"""Admin for orders and refunds.

Orders change only through shop.orders and shop.payments.refunds, so their pages are read
only, but for the review flag. A cooperative's staff see the orders that contain their
products, with only their own lines and no money movements; refunds are for superusers
and the shop's operators holding the "add refund" permission. The refund form calls
shop.payments.refunds, which goes through Stripe and may put the units back in stock.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shop import sites
from shop.admin.scoping import HiddenFromCooperativeStaff, OrderRowsInline, confined_to
from shop.admin.shipments import ShipmentInline
from shop.models import Order, OrderLine, OrderLineBatch, OrderStatusChange, Payment, Refund
from shop.models.gifts import Gift
from shop.money import format_money
from shop.payments import refunds
from shop.workspace.views.gift_card import pdf_response as gift_card_response


def may_refund(user) -> bool:
    return confined_to(user) is None and user.has_perm("shop.add_refund")


def _money(amount, currency: str) -> str:
    return format_money(amount, currency, get_language() or "en")


class OrderLineInline(OrderRowsInline, admin.TabularInline):
    model = OrderLine
    fields = ("product_name", "variant_name", "sku", "quantity", "unit_price", "batches_taken")
    readonly_fields = fields

    def get_queryset(self, request):
        batches = OrderLineBatch.objects.select_related("batch").order_by("pk")
        queryset = (
            super().get_queryset(request).prefetch_related(Prefetch("batches", queryset=batches))
        )
        cooperative_id = confined_to(request.user)
        if cooperative_id is not None:
            queryset = queryset.filter(variant__product__cooperative_id=cooperative_id)
        return queryset

    @admin.display(description=_("batches taken"))
    def batches_taken(self, line: OrderLine) -> str:
        return ", ".join(
            f"{a.batch.lot_code} × {a.quantity} ({a.get_state_display()})"
            for a in line.batches.all()
        )


class StatusHistoryInline(OrderRowsInline, admin.TabularInline):
    model = OrderStatusChange
    fields = ("created_at", "from_status", "to_status", "actor", "shown_note")
    readonly_fields = fields
    verbose_name_plural = _("status history")

    @admin.display(description=_("note"))
    def shown_note(self, change: OrderStatusChange) -> str:
        return change.shown_note


class PaymentInline(OrderRowsInline, admin.TabularInline):
    model = Payment
    fields = (
        "created_at",
        "gateway",
        "reference",
        "amount",
        "currency",
        "status",
        "refunded_amount",
    )
    readonly_fields = fields


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text=_("Leave empty to refund everything still refundable."),
    )
    restock = forms.BooleanField(
        label=_("put the units back in stock"),
        required=False,
        help_text=_(
            "The refunded units that never shipped go back to their batches as a "
            "“returned” movement, once the refund went through. Shipped units come back "
            "only as a recorded return."
        ),
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
    cancel = forms.BooleanField(
        label=_("cancel the order"),
        required=False,
        help_text=_(
            "Refund everything and put every unit back; only while no parcel has left. "
            "The amount and the lines are then ignored."
        ),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = list(lines)
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("units of %(product)s (%(variant)s)")
                % {"product": line.product_name, "variant": line.variant_name},
                required=False,
                min_value=0,
                max_value=line.quantity,
                help_text=_("%(count)d bought. Leave every line empty to refund them all.")
                % {"count": line.quantity},
            )

    def refunded_lines(self) -> dict[int, int] | None:
        """{line id: units} of the lines named, or None when none is (the whole order)."""
        named = {
            line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.order_lines
        }
        named = {pk: units for pk, units in named.items() if units}
        return named or None


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "created_at", "email", "status", "shown_total", "needs_review")
    list_filter = ("status", "needs_review", "currency")
    search_fields = ("number", "email", "buyer_name")
    date_hierarchy = "created_at"
    list_select_related = ("shipping_address",)
    staff_fieldsets = (
        (None, {"fields": ("number", "status", "created_at", "expires_at", "paid_at")}),
        (
            _("Buyer and delivery"),
            {
                "fields": (
                    "email",
                    "buyer_name",
                    "language",
                    "shipping_address",
                    "shipping_method_name",
                    "carrier",
                    "tracking_number",
                    "is_gift",
                    "gift_message",
                    "gift_card",
                    "gift_wrap",
                    "hide_prices",
                )
            },
        ),
    )
    review_fieldset = (_("Review"), {"fields": ("needs_review", "review_note")})
    money_fields = (
        "currency",
        "subtotal",
        "shipping_total",
        "gift_wrap_total",
        "total",
        "refunds_made",
    )
    # The review flag is the one thing staff edit here; everything else has its service.
    editable_fields = ("needs_review", "review_note")
    staff_inlines = [ShipmentInline, OrderLineInline, StatusHistoryInline]
    operator_inlines = [ShipmentInline, OrderLineInline, StatusHistoryInline, PaymentInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("shipping_address")
        cooperative_id = confined_to(request.user)
        return queryset if cooperative_id is None else queryset.for_cooperative(cooperative_id)

    def get_fieldsets(self, request, obj=None):
        if confined_to(request.user) is not None:
            return self.staff_fieldsets
        money = (
            (*self.money_fields, "refund_link") if may_refund(request.user) else self.money_fields
        )
        return (self.review_fieldset, *self.staff_fieldsets, (_("Money"), {"fields": money}))

    def get_readonly_fields(self, request, obj=None):
        shown = [
            name for _title, opts in self.get_fieldsets(request, obj) for name in opts["fields"]
        ]
        if self.has_change_permission(request, obj):
            return [name for name in shown if name not in self.editable_fields]
        return shown

    def get_inlines(self, request, obj):
        return (
            self.staff_inlines if confined_to(request.user) is not None else self.operator_inlines
        )

    def has_module_permission(self, request):
        if confined_to(request.user) is not None:
            return True
        return super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_view_permission(request, obj)
        return (
            obj is None or Order.objects.for_cooperative(cooperative_id).filter(pk=obj.pk).exists()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return confined_to(request.user) is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("gift card"))
    def gift_card(self, order: Order) -> str:
        if order is None or order.pk is None or not order.is_gift:
            return "—"
        url = reverse("admin:shop_order_gift_card", args=[order.pk])
        return format_html('<a href="{}">{}</a>', url, _("Gift card (PDF)"))

    def gift_card_view(self, request, order_id: int):
        """The order's gift card PDF, for whoever may view the order (staff: an order of
        their own cooperative; another's answers 404)."""
        order = self.get_queryset(request).filter(pk=order_id).first()
        if order is None or not self.has_view_permission(request, order):
            raise Http404(_("No order of yours has this number."))
        gift = Gift.objects.filter(order=order).first()
        if gift is None:
            raise Http404(_("This order is not a gift."))
        with sites.serving(request):
            return gift_card_response(gift)

    @admin.display(description=_("total"), ordering="total")
    def shown_total(self, order: Order) -> str:
        return _money(order.total, order.currency)

    @admin.display(description=_("refunds"))
    def refunds_made(self, order: Order) -> str:
        rows = Refund.objects.filter(payment__order=order).select_related("created_by")
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<div>{} · {} · {} · {}</div>",
            (
                (
                    r.created_at.strftime("%Y-%m-%d %H:%M"),
                    _money(r.amount, order.currency),
                    r.reference or _("pending at Stripe"),
                    _("restocked") if r.restocked else r.reason,
                )
                for r in rows
            ),
        )

    @admin.display(description=_("refund"))
    def refund_link(self, order: Order) -> str:
        url = reverse("admin:shop_order_refund", args=[order.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Refund this order"))

    def get_urls(self):
        refund = self.admin_site.admin_view(self.refund_view)
        gift_card = self.admin_site.admin_view(self.gift_card_view)
        return [
            path("<path:object_id>/refund/", refund, name="shop_order_refund"),
            path("<int:order_id>/gift-card.pdf", gift_card, name="shop_order_gift_card"),
        ] + super().get_urls()

    def refund_view(self, request, object_id):
        order = self.get_object(request, object_id)
        if order is None:
            raise Http404(_("No order has this id."))
        if not may_refund(request.user):
            raise PermissionDenied
        form = RefundForm(request.POST or None, lines=order.lines.all())
        if request.method == "POST" and form.is_valid():
            answer = self._refund(request, order, form)
            if answer is not None:
                return answer
        change_url = reverse("admin:shop_order_change", args=[order.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Refund order %(number)s") % {"number": order.number},
            "opts": self.opts,
            "order": order,
            "form": form,
            "change_url": change_url,
            "total": _money(order.total, order.currency),
            "refundable": _money(refunds.order_refundable(order_id=order.pk), order.currency),
        }
        return TemplateResponse(request, "admin/shop/order/refund.html", context)

    def _refund(self, request, order: Order, form: RefundForm):
        """Call the refund service; a refusal goes back onto the form (nothing written)."""
        data = form.cleaned_data
        change_url = reverse("admin:shop_order_change", args=[order.pk])
        try:
            if data["cancel"]:
                refunds.cancel_order(order_id=order.pk, reason=data["reason"], actor=request.user)
                refund = Refund.objects.filter(payment__order=order).latest("pk")
            else:
                refund = refunds.refund_order(
                    order_id=order.pk,
                    amount=data["amount"],
                    lines=form.refunded_lines(),
                    restock=data["restock"],
                    reason=data["reason"],
                    actor=request.user,
                )
        except refunds.OrderAlreadyShipped:
            form.add_error(
                "cancel",
                _("A parcel of this order has left: refund its lines instead. Nothing changed."),
            )
        except refunds.RefundPending as pending:
            messages.warning(
                request,
                _(
                    "Stripe did not answer in time. The refund of %(amount)s is recorded as "
                    "pending and is completed automatically; it is never paid twice."
                )
                % {"amount": _money(pending.refund.amount, order.currency)},
            )
            return HttpResponseRedirect(change_url)
        except refunds.RefundTooLarge as error:
            form.add_error(
                "amount",
                _("At most %(refundable)s can still be refunded. Nothing was refunded.")
                % {"refundable": _money(error.refundable, order.currency)},
            )
        except refunds.InvalidRefundAmount:
            form.add_error(
                "amount",
                _(
                    "Enter an amount above zero that %(currency)s can be paid in (VND has no "
                    "decimals). Nothing was refunded."
                )
                % {"currency": order.currency},
            )
        except refunds.NothingToRestock:
            form.add_error(
                "restock",
                _(
                    "None of these units can go back on the shelf: they shipped, or a refund "
                    "already put them back. "
                    "Nothing was refunded."
                ),
            )
        except refunds.InvalidRefundLines:
            form.add_error(
                None, _("More units than are left to refund on a line. Nothing was refunded.")
            )
        except refunds.NoRefundablePayment:
            form.add_error(None, _("This order has no received payment left to refund."))
        except refunds.RefundRefused as error:
            form.add_error(
                None,
                _("Stripe refused the refund: %(reason)s. Nothing was refunded.")
                % {"reason": error},
            )
        else:
            amount = _money(refund.amount, order.currency)
            self.log_change(request, order, f"Refunded {refund.amount} {order.currency}")
            messages.success(request, _("Refunded %(amount)s.") % {"amount": amount})
            return HttpResponseRedirect(change_url)
        return None


@admin.register(Refund)
class RefundAdmin(HiddenFromCooperativeStaff, admin.ModelAdmin):
    """Refunds are listed here and made from their order's page."""

    list_display = ("created_at", "order_number", "amount", "currency", "reference", "restocked")
    list_select_related = ("payment__order", "created_by")
    list_filter = ("restocked", "created_at")
    search_fields = ("reference", "payment__order__number", "payment__reference")
    fields = ("payment", "amount", "reference", "reason", "restocked", "created_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("order"), ordering="payment__order__number")
    def order_number(self, refund: Refund) -> str:
        return refund.payment.order.number

    @admin.display(description=_("currency"))
    def currency(self, refund: Refund) -> str:
        return refund.payment.currency

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
