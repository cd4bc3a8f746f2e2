"""A recall's reason is written in Vietnamese and English and each reader sees theirs: the
trace page, the recall status, the buyer's email, the report, the API (issue 15)."""

import importlib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tests.traceability.recall_data import buy, gift_box_with, honey_batch, staff_of, superuser
from traceability import recalls
from traceability.links import digital_link_path
from traceability.models import Recall

pytestmark = pytest.mark.django_db

VI = "Phòng thí nghiệm tỉnh phát hiện dấu vết đậu phộng không ghi trên nhãn."
EN = "The provincial lab found traces of peanut not declared on the label."


def recalled(batch, **reasons):
    return recalls.recall_batch(batch=batch, actor=staff_of(batch), **reasons)


def trace_page(client, batch, language: str, **query) -> str:
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response = client.get(path, query, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_each_reader_of_the_trace_page_sees_the_reason_in_their_language(client):
    batch = honey_batch()
    recalled(batch, reason_vi=VI, reason_en=EN)

    assert VI in trace_page(client, batch, "vi")
    assert EN not in trace_page(client, batch, "vi")
    assert EN in trace_page(client, batch, "en")
    assert VI not in trace_page(client, batch, "en")
    # languages without their own reason read the English
    assert EN in trace_page(client, batch, "ja")


def test_the_recall_status_answers_in_the_readers_language(client):
    batch = honey_batch()
    recalled(batch, reason_vi=VI, reason_en=EN)

    vietnamese = trace_page(client, batch, "vi", linkType="gs1:recallStatus")
    english = trace_page(client, batch, "en", linkType="gs1:recallStatus")

    assert f"Lý do:</strong> {VI}" in vietnamese
    assert f"Reason:</strong> {EN}" in english


def test_each_buyer_is_emailed_the_reason_in_the_language_of_their_order(
    django_capture_on_commit_callbacks,
):
    batch = honey_batch()
    buy((batch.variant, 1), email="lan@example.vn", language="vi")
    buy((batch.variant, 1), email="anna@example.de", language="en")

    with django_capture_on_commit_callbacks(execute=True):
        recalled(batch, reason_vi=VI, reason_en=EN)

    by_buyer = {message.to[0]: message.body for message in mail.outbox}
    assert VI in by_buyer["lan@example.vn"] and EN not in by_buyer["lan@example.vn"]
    assert EN in by_buyer["anna@example.de"] and VI not in by_buyer["anna@example.de"]


def test_the_recall_report_reads_the_staff_members_language(client):
    batch = honey_batch()
    recall = recalled(batch, reason_vi=VI, reason_en=EN)
    client.force_login(superuser())

    url = reverse("traceability:recall", args=[recall.pk])
    vietnamese = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert VI in vietnamese and EN not in vietnamese
    assert EN in english and VI not in english


def test_a_reason_in_one_language_is_stored_in_it_and_read_by_everyone():
    batch = honey_batch()

    recall = recalled(batch, reason="Nắp hũ bị hở, có thể nhiễm khuẩn.")

    recall = Recall.objects.get(pk=recall.pk)
    assert (recall.reason_vi, recall.reason_en) == ("Nắp hũ bị hở, có thể nhiễm khuẩn.", None)
    with translation.override("en"):
        assert recall.reason == "Nắp hũ bị hở, có thể nhiễm khuẩn."


def test_a_box_lot_says_what_it_contains_in_each_language():
    batch = honey_batch()
    box = gift_box_with(batch)

    recalled(batch, reason_vi=VI, reason_en=EN)

    box_recall = Recall.objects.get(batch__variant=box)
    assert box_recall.reason_en == f"Contains lot HN2503, recalled: {EN}"
    assert box_recall.reason_vi.endswith(VI) and "HN2503" in box_recall.reason_vi
    assert EN not in box_recall.reason_vi


def test_a_reason_too_long_in_either_language_is_refused_and_nothing_is_written():
    batch = honey_batch()

    with pytest.raises(recalls.InvalidReason):
        recalled(batch, reason_vi=VI, reason_en="x" * 1001)
    with pytest.raises(recalls.InvalidReason):
        recalled(batch, reason_vi="  ", reason_en="")

    assert not Recall.objects.exists()


def test_the_admin_asks_for_both_languages(client):
    batch = honey_batch()
    client.force_login(staff_of(batch))
    url = reverse("admin:traceability_recall_add")

    refused = client.post(url, {"batch": batch.pk, "reason_vi": VI, "reason_en": ""})
    form = client.get(url).content.decode()

    assert refused.status_code == 200
    assert not Recall.objects.exists()
    assert form.index('name="reason_vi"') < form.index('name="reason_en"')


def test_the_migration_copies_an_old_reason_into_the_language_it_is_written_in():
    migration = importlib.import_module("traceability.migrations.0009_recall_reason_languages")

    assert migration._language("Nắp chai bị hở.") == "vi"
    assert migration._language("Mould found on the seals.") == "en"
