"""The verifier (traceability/verifier.py, no Django) checks a lot's record from the shop's
public answers alone, against the live test server: each of the issue's eight tamperings
(tampering.py) is caught, an intact record passes, and a pinned key is honoured."""

import ast
import base64
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.traceability import tampering
from traceability import events, records, signing, verifier
from traceability.links import digital_link_path
from traceability.models import CheckpointHead, TraceEvent

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shop(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def lot(shop):
    return tampering.sealed_lot()


def link_of(shop, batch) -> str:
    batch.refresh_from_db()
    return shop.url + digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def assert_verifier_reports(shop, batch, case: str):
    tamper, _page_checks, line = tampering.CASES[case]
    # when an insider tampers with the record
    tamper(batch)
    # then the verifier says it was tampered with, and how
    result = verifier.verify(link_of(shop, batch))
    assert result.code == verifier.TAMPERED
    assert any(problem.startswith(line) for problem in result.problems), result.problems


def test_an_intact_record_passes(shop, lot):
    result = verifier.verify(link_of(shop, lot))

    assert (result.code, result.problems, result.events) == (verifier.INTACT, [], 4)
    assert result.key_id == signing.signing_key().key_id


def test_verifier_detects_a_changed_field(shop, lot):
    assert_verifier_reports(shop, lot, "changed_field")


def test_verifier_detects_a_deleted_middle_event(shop, lot):
    assert_verifier_reports(shop, lot, "deleted_middle_event")


def test_verifier_detects_a_deleted_last_event(shop, lot):
    assert_verifier_reports(shop, lot, "deleted_last_event")


def test_verifier_detects_two_events_swapped(shop, lot):
    assert_verifier_reports(shop, lot, "two_events_swapped")


def test_verifier_detects_an_event_rewritten_with_every_later_hash_recomputed(shop, lot):
    assert_verifier_reports(shop, lot, "rewritten_with_later_hashes_recomputed")


def test_verifier_detects_a_forged_event_appended_with_a_correct_hash(shop, lot):
    assert_verifier_reports(shop, lot, "forged_event_appended")


def test_verifier_detects_a_batch_fact_edited_in_the_database(shop, lot):
    assert_verifier_reports(shop, lot, "batch_fact_edited")


def test_verifier_detects_a_swapped_photo_file(shop, lot):
    assert_verifier_reports(shop, lot, "photo_file_swapped")


def test_a_pinned_key_id_that_is_not_the_shops_cannot_check(shop, lot):
    out = io.StringIO()

    code = verifier.main([link_of(shop, lot), "--key-id", "ab" * 32], out=out)

    assert code == verifier.CANNOT_CHECK
    assert f"The shop's key is {signing.signing_key().key_id}" in out.getvalue()


def test_a_pinned_public_key_that_did_not_sign_is_tampering(shop, lot):
    # given a key that is not the one the shop signs with
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    pinned = base64.b64encode(other).decode()

    result = verifier.verify(link_of(shop, lot), public_key=pinned)

    assert result.code == verifier.TAMPERED
    assert "the checkpoint's signature is not valid" in result.problems


def test_the_pinned_key_id_of_the_shop_passes(shop, lot):
    key_id = hashlib.sha256(signing.signing_key().public_raw).hexdigest()

    assert verifier.verify(link_of(shop, lot), key_id=key_id).code == verifier.INTACT


def test_an_unreachable_shop_cannot_be_checked():
    out = io.StringIO()

    code = verifier.main(["http://127.0.0.1:9/01/08930000000019/10/X"], out=out)

    assert code == verifier.CANNOT_CHECK
    assert out.getvalue().startswith("CANNOT CHECK: ")


def test_the_standalone_script_runs_without_django_and_exits_by_outcome(shop, lot):
    link = link_of(shop, lot)
    script = ROOT / "traceability" / "verifier.py"
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}

    intact = subprocess.run(
        [sys.executable, "-I", str(script), link], capture_output=True, text=True, env=env
    )
    tampering.delete_the_last_event(lot)
    tampered = subprocess.run(
        [sys.executable, "-I", str(script), link], capture_output=True, text=True, env=env
    )

    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "INTACT" in intact.stdout
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr
    assert "the shop signed 4 stages; the record has 3" in tampered.stdout


def test_the_verifier_imports_nothing_of_django_or_the_shop():
    tree = ast.parse((ROOT / "traceability" / "verifier.py").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])

    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


def test_manage_py_verify_trace_runs_the_same_checks(shop, lot):
    out = io.StringIO()
    call_command("verify_trace", url=link_of(shop, lot), stdout=out)
    assert "INTACT" in out.getvalue()

    tampering.edit_a_batch_fact(lot)
    with pytest.raises(SystemExit) as exited:
        call_command("verify_trace", url=link_of(shop, lot), stdout=out)
    assert exited.value.code == verifier.TAMPERED
    assert "fact harvest_date: the batch says" in out.getvalue()


def test_the_published_record_is_exactly_what_the_hash_covers(shop, lot):
    # given the lot's EPCIS document, as the verifier fetches it
    document = json.loads(
        verifier._get(verifier._with_query(link_of(shop, lot), linkType="gs1:epcis"), "*/*")
    )
    chain = list(TraceEvent.objects.filter(batch=lot).order_by("sequence"))

    # then each ocop:record is the content the shop hashed, canonicalised the same way
    published = [event["ocop:record"] for event in document["epcisBody"]["eventList"]]
    assert published == [records.content(event, []) for event in chain]
    assert [verifier.canonical(record) for record in published] == [
        events.canonical_content(event, []) for event in chain
    ]
    assert document["ocop:facts"] == records.batch_facts(lot)
    assert document["ocop:checkpoints"] == f"{shop.url}/trace/checkpoints/?batch={lot.pk}"


def test_verifier_reports_a_deleted_photo_file(shop, lot):
    name = TraceEvent.objects.get(batch=lot, sequence=2).photo.name
    default_storage.delete(name)

    result = verifier.verify(link_of(shop, lot))

    assert result.problems == ["stage 2: the photo recorded is gone"]


def test_verifier_reports_a_record_no_checkpoint_names(shop, lot):
    CheckpointHead.objects.filter(batch_id=lot.pk).delete()

    result = verifier.verify(link_of(shop, lot))

    assert result.problems == ["no signed checkpoint names this batch"]
