"""Words shown in the reader's language (issue 15): order lines and shipping names read from
the catalogue at read time, and status and ledger notes stored as codes (shop.message_codes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from shop import inventory, message_codes, orders
from shop.graphql.schema import schema
from shop.models import MovementKind, OrderStatusChange, StockMovement, Variant
from tests.factories import (
    BatchFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShippingMethodFactory,
    VariantFactory,
)
from tests.shop.checkout_data import honey, placed_order

pytestmark = pytest.mark.django_db


def honey_variant(**fields) -> Variant:
    product = ProductFactory(name_en="Longan honey", name_vi="Mật ong nhãn")
    return VariantFactory(product=product, name_en="250 g jar", name_vi="Hũ 250 g", **fields)


def english_order(*variants):
    """An order placed in English: its lines and shipping name frozen in English."""
    method = ShippingMethodFactory(name_en="Standard airmail", name_vi="Thư máy bay tiêu chuẩn")
    order = OrderFactory(
        language="en", shipping_method=method, shipping_method_name="Standard airmail"
    )
    for variant in variants:
        OrderLineFactory(order=order, variant=variant)
    return order


def order_page(client, order, language: str) -> str:
    response = client.get(
        reverse("shop:order", kwargs={"token": order.token}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


# Order lines and shipping names


def test_a_vietnamese_reader_of_an_english_order_sees_vietnamese_names(client):
    order = english_order(honey_variant())
    line = order.lines.get()
    assert (line.product_name, line.variant_name) == ("Longan honey", "250 g jar")

    vietnamese = order_page(client, order, "vi")
    english = order_page(client, order, "en")

    assert '<strong>Mật ong nhãn</strong> <span class="muted">Hũ 250 g</span>' in vietnamese
    assert "Thư máy bay tiêu chuẩn" in vietnamese
    assert "Longan honey" not in vietnamese
    assert '<strong>Longan honey</strong> <span class="muted">250 g jar</span>' in english
    assert "Standard airmail" in english
    assert "Mật ong nhãn" not in english


def test_languages_without_product_text_read_english():
    order = english_order(honey_variant())
    found = orders.order_by_token(token=str(order.token))

    with translation.override("ja"):
        line = found.lines.all()[0]
        assert (line.shown_product_name, line.shown_variant_name) == ("Longan honey", "250 g jar")
        assert found.shown_shipping_method_name == "Standard airmail"


def test_a_line_whose_variant_is_gone_shows_its_snapshot():
    order = english_order(honey_variant())
    line = order.lines.get()
    line.variant = None
    line.save(update_fields=["variant"])
    order.shipping_method.delete()

    found = orders.order_by_token(token=str(order.token))

    with translation.override("vi"):
        line = found.lines.all()[0]
        assert (line.shown_product_name, line.shown_variant_name) == ("Longan honey", "250 g jar")
        assert found.shown_shipping_method_name == "Standard airmail"


def test_more_lines_cost_no_more_queries_on_the_order_page(client):
    one = english_order(honey_variant())
    many = english_order(honey_variant(), VariantFactory(), VariantFactory(), VariantFactory())

    with CaptureQueriesContext(connection) as first:
        order_page(client, one, "vi")
    with CaptureQueriesContext(connection) as second:
        page = order_page(client, many, "vi")

    assert len(second) == len(first)
    assert "Mật ong nhãn" in page


def test_the_graphql_order_names_its_lines_in_the_readers_language(rf):
    order = english_order(honey_variant())
    query = (
        "query($token: ID!) { order(token: $token) {"
        " shippingMethodName lines { productName variantName } } }"
    )
    answers = {}
    for language in ("vi", "en"):
        with translation.override(language):
            result = schema.execute(
                query, variable_values={"token": str(order.token)}, context_value=rf.get("/")
            )
        assert result.errors is None
        answers[language] = result.data["order"]

    assert answers["vi"] == {
        "shippingMethodName": "Thư máy bay tiêu chuẩn",
        "lines": [{"productName": "Mật ong nhãn", "variantName": "Hũ 250 g"}],
    }
    assert answers["en"] == {
        "shippingMethodName": "Standard airmail",
        "lines": [{"productName": "Longan honey", "variantName": "250 g jar"}],
    }


# Status and ledger notes as codes


def test_a_status_note_is_stored_as_a_code_and_read_in_each_language():
    order = OrderFactory(status="unpaid")

    orders.cancel(order_id=order.pk)

    change = OrderStatusChange.objects.get(order=order)
    assert (change.note, change.note_code, change.note_params) == ("", "cancelled", {})
    with translation.override("vi"):
        assert change.shown_note == "Đã hủy"
    with translation.override("en"):
        assert change.shown_note == "Cancelled"


def test_a_coded_note_keeps_its_parameters_as_data():
    change = OrderStatusChange(
        to_status="shipped",
        **message_codes.fields(
            message_codes.coded("shipped_with", carrier="VNPost", tracking="EE1VN"), "note"
        ),
    )

    assert change.note_params == {"carrier": "VNPost", "tracking": "EE1VN"}
    with translation.override("vi"):
        assert change.shown_note == "Đã gửi qua VNPost, mã vận đơn EE1VN"
    with translation.override("en"):
        assert change.shown_note == "Shipped with VNPost, tracking number EE1VN"


def test_typed_text_and_rows_written_before_the_codes_read_as_stored():
    order = OrderFactory(status="unpaid")

    orders.cancel(order_id=order.pk, note="Khách hỏi hủy")
    older = OrderStatusChange(to_status="cancelled", note="Not paid in time")
    unknown = OrderStatusChange(to_status="cancelled", note_code="from_a_newer_release")

    typed = OrderStatusChange.objects.get(order=order)
    with translation.override("en"):
        assert typed.shown_note == "Khách hỏi hủy"
        assert older.shown_note == "Not paid in time"
        assert unknown.shown_note == "from_a_newer_release"


def test_an_order_cancelled_for_lateness_before_the_codes_may_still_be_paid_late():
    batch = BatchFactory(quantity_received=5)
    order = OrderFactory(status="cancelled")
    OrderLineFactory(order=order, variant=batch.variant, quantity=1)
    OrderStatusChange.objects.create(
        order=order, from_status="unpaid", to_status="cancelled", note="Not paid in time"
    )

    assert orders.mark_paid_after_expiry(order_id=order.pk) is True

    last = order.history.last()
    assert (last.to_status, last.note_code) == ("paid", "payment_received_late")


def test_a_ledger_reason_the_system_writes_is_a_code_read_in_each_language():
    batch = BatchFactory(quantity_received=10)

    movement = inventory.record_movement(
        batch_id=batch.pk,
        kind=MovementKind.DAMAGED,
        quantity=-1,
        reason=message_codes.coded("adjust_damaged"),
    )
    typed = inventory.record_movement(
        batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-1, reason="Rơi vỡ hai hũ"
    )

    movement = StockMovement.objects.get(pk=movement.pk)
    assert (movement.reason, movement.reason_code) == ("", "adjust_damaged")
    with translation.override("vi"):
        assert movement.shown_reason == "Hư hỏng hoặc mất (bớt ra)"
        assert typed.shown_reason == "Rơi vỡ hai hũ"
    with translation.override("en"):
        assert movement.shown_reason == "Damaged or lost (take out)"
        assert typed.shown_reason == "Rơi vỡ hai hũ"


def test_every_code_reads_in_english_and_vietnamese_with_its_parameters():
    params = {"reference": "R1", "carrier": "DHL", "tracking": "T1", "order": "OC-1", "line": "7",
              "lot": "TET-01"}  # fmt: skip
    for code in message_codes.MESSAGES:
        shown = {}
        for language in ("en", "vi"):
            with translation.override(language):
                shown[language] = message_codes.render(code=code, params=params)
        assert "%(" not in shown["en"] + shown["vi"], code
        assert shown["en"] != shown["vi"], f"{code} has no Vietnamese words"
    with pytest.raises(message_codes.UnknownCode):
        message_codes.coded("no_such_code")


def test_placing_and_paying_an_order_writes_codes_read_in_each_language():
    jar = honey()
    BatchFactory(variant=jar, quantity_received=10)
    order = placed_order((jar, 2))

    orders.mark_paid(order_id=order.pk)

    history = list(order.history.order_by("pk"))
    assert [h.note_code for h in history] == ["order_placed", "payment_received"]
    sold = StockMovement.objects.get(kind=MovementKind.SOLD)
    assert (sold.reason_code, sold.reason_params) == ("sold_in_order", {"order": order.number})
    with translation.override("vi"):
        assert [h.shown_note for h in history] == ["Đã đặt hàng", "Đã nhận thanh toán"]
        assert sold.shown_reason == f"Đã bán trong đơn hàng {order.number}"
    with translation.override("en"):
        assert [h.shown_note for h in history] == ["Order placed", "Payment received"]
        assert sold.shown_reason == f"Sold in order {order.number}"
