"""The signed checkpoint log: each append signs its batch's new head in the same
transaction, each checkpoint names the one before, the key lives outside the database, the
daily heartbeat refuses to re-sign heads that changed, and the public endpoint serves it."""

import base64
import hashlib
import io
import json
import secrets
import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from tests.factories import BatchFactory
from tests.shop.test_settings import clean_env, run_python
from tests.traceability import tampering
from tests.traceability.factories import add_events
from traceability import checkpoints, checks, events, signing
from traceability.models import Checkpoint, CheckpointHead, EventKind, TraceEvent
from traceability.records import GENESIS
from worker.celery import app
from worker.tasks.checkpoints import sign_daily_checkpoint

pytestmark = pytest.mark.django_db


def statement(checkpoint: Checkpoint) -> dict:
    return json.loads(checkpoint.body)


def test_each_append_signs_a_checkpoint_naming_the_previous_one():
    # given two batches with three appends between them
    first, second = BatchFactory(), BatchFactory()
    add_events(first, 2)
    add_events(second, 1)

    # then three checkpoints chain, each signed by the shop's key over its exact body
    log = list(Checkpoint.objects.order_by("sequence"))
    key = signing.signing_key()
    public = Ed25519PublicKey.from_public_bytes(key.public_raw)
    assert [c.sequence for c in log] == [1, 2, 3]
    assert [c.previous_digest for c in log] == [GENESIS, log[0].digest, log[1].digest]
    for checkpoint in log:
        signature = base64.b64decode(checkpoint.signature)
        public.verify(signature, checkpoint.body.encode())  # raises if not signed
        assert checkpoint.digest == hashlib.sha256(checkpoint.body.encode() + signature).hexdigest()
        assert checkpoint.key_id == key.key_id == hashlib.sha256(key.public_raw).hexdigest()
        assert statement(checkpoint)["previous"] == checkpoint.previous_digest
    chain = list(TraceEvent.objects.filter(batch=first).order_by("sequence"))
    assert statement(log[1])["heads"] == [{"batch": first.pk, "events": 2, "head": chain[1].hash}]
    assert list(CheckpointHead.objects.values_list("batch_id", "events")) == [
        (first.pk, 1),
        (first.pk, 2),
        (second.pk, 1),
    ]


def test_a_refused_append_signs_nothing():
    batch = BatchFactory()
    with pytest.raises(events.InvalidEvent):
        events.append_event(
            batch=batch, kind=EventKind.HARVEST, occurred_at=timezone.now(), place="", actor="A"
        )
    assert (Checkpoint.objects.count(), TraceEvent.objects.count()) == (0, 0)


def test_an_append_rolled_back_takes_its_checkpoint_with_it():
    batch = BatchFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        add_events(batch, 1)
        raise RuntimeError("the caller's transaction fails later")
    assert (Checkpoint.objects.count(), TraceEvent.objects.count()) == (0, 0)


def test_the_private_key_is_never_in_the_database():
    # given a signed record
    add_events(BatchFactory(), 3)
    key = signing.signing_key()
    raw = key.private.private_bytes_raw()

    # when the whole database is dumped
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()

    # then the public key id is there, the private key in no form
    assert key.key_id in dump
    assert base64.b64encode(raw).decode() not in dump
    assert raw.hex() not in dump
    pem_body = "".join(signing._pem(key.private).decode().splitlines()[1:-1])
    assert pem_body not in dump


def test_the_embedded_default_generates_its_key_once_outside_the_database(settings, tmp_path):
    settings.TRACE_SIGNING_KEY = settings.TRACE_SIGNING_KEY_FILE = ""
    settings.TRACE_SIGNING_KEY_GENERATED = tmp_path / "var" / "trace-signing-key.pem"

    first = signing.signing_key()
    signing._LOADED.clear()
    again = signing.signing_key()

    assert first.key_id == again.key_id
    assert settings.TRACE_SIGNING_KEY_GENERATED.read_bytes().startswith(b"-----BEGIN PRIVATE KEY")
    assert oct(settings.TRACE_SIGNING_KEY_GENERATED.stat().st_mode & 0o777) == "0o600"


def test_a_key_from_the_environment_as_base64_or_pem_or_from_a_file(settings, tmp_path):
    private = Ed25519PrivateKey.generate()
    expected = hashlib.sha256(private.public_key().public_bytes_raw()).hexdigest()
    settings.TRACE_SIGNING_KEY_GENERATED = None

    settings.TRACE_SIGNING_KEY = base64.b64encode(private.private_bytes_raw()).decode()
    assert signing.signing_key().key_id == expected

    settings.TRACE_SIGNING_KEY = signing._pem(private).decode()
    assert signing.signing_key().key_id == expected

    settings.TRACE_SIGNING_KEY = ""
    settings.TRACE_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    (tmp_path / "key.pem").write_bytes(signing._pem(private))
    assert signing.signing_key().key_id == expected


def test_the_system_check_refuses_a_missing_or_unusable_key(settings):
    settings.TRACE_SIGNING_KEY = settings.TRACE_SIGNING_KEY_FILE = ""
    settings.TRACE_SIGNING_KEY_GENERATED = None
    assert [e.id for e in checks.signing_key_configured()] == ["traceability.E001"]

    settings.TRACE_SIGNING_KEY = "not a key"
    assert [e.id for e in checks.signing_key_configured()] == ["traceability.E002"]


def test_production_settings_without_a_key_fail_the_check(tmp_path):
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="shop.example",
        OCOP_ALLOW_DUMMY_PAYMENTS="true",
    )

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert result.returncode == 1
    assert "traceability.E001" in result.stderr
    assert not (tmp_path / "var" / "trace-signing-key.pem").exists()


def test_the_daily_checkpoint_signs_every_head_as_the_log_states_it():
    # given two signed records
    first, second = BatchFactory(), BatchFactory()
    add_events(first, 2)
    add_events(second, 3)

    report = checkpoints.daily_checkpoint()

    body = statement(report.checkpoint)
    heads = [
        {
            "batch": first.pk,
            "events": 2,
            "head": TraceEvent.objects.get(batch=first, sequence=2).hash,
        },
        {
            "batch": second.pk,
            "events": 3,
            "head": TraceEvent.objects.get(batch=second, sequence=3).hash,
        },
    ]
    assert (report.mismatched, report.unsigned) == ([], [])
    assert body["kind"] == "daily"
    assert (body["sequence"], body["batches"], body["events"], body["mismatched"]) == (6, 2, 5, [])
    assert (
        body["heads_digest"]
        == hashlib.sha256(
            json.dumps({"heads": heads}, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
    )
    assert body["previous"] == Checkpoint.objects.get(sequence=5).digest
    assert report.checkpoint.heads.count() == 0


def test_the_daily_checkpoint_reports_a_changed_head_instead_of_signing_it(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lot = tampering.sealed_lot()
    signed = CheckpointHead.objects.filter(batch_id=lot.pk).order_by("-checkpoint_id").first()
    tampering.delete_the_last_event(lot)
    unsigned = BatchFactory()
    TraceEvent.objects.create(
        batch=unsigned, sequence=1, kind=EventKind.HARVEST, biz_step="commissioning",
        occurred_at=timezone.now(), place="P", actor="A", previous_hash=GENESIS, hash="f" * 64,
    )  # fmt: skip

    result = sign_daily_checkpoint.delay().get()

    assert result["mismatched"] == [lot.pk]
    assert result["unsigned"] == [unsigned.pk]
    body = statement(Checkpoint.objects.get(sequence=result["sequence"]))
    assert body["mismatched"] == [lot.pk]
    # the digest covers the head the log stated, not the cut one
    stated = [{"batch": lot.pk, "events": signed.events, "head": signed.head}]
    assert (
        body["heads_digest"]
        == hashlib.sha256(
            json.dumps({"heads": stated}, sort_keys=True, separators=(",", ":")).encode()
        ).hexdigest()
    )


def test_the_beat_signs_the_daily_checkpoint_just_after_midnight_in_vietnam():
    entry = app.conf.beat_schedule["sign-daily-trace-checkpoint"]
    assert entry["task"] == "worker.tasks.checkpoints.sign_daily_checkpoint"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({17}, {5})


def test_the_endpoint_publishes_the_key_and_pages_through_the_log(client):
    add_events(BatchFactory(), 3)
    key = signing.signing_key()

    everything = client.get("/trace/checkpoints/").json()
    later = client.get("/trace/checkpoints/?after=1").json()

    assert everything["algorithm"] == "Ed25519"
    assert everything["key_id"] == key.key_id
    assert base64.b64decode(everything["public_key"]) == key.public_raw
    assert [c["sequence"] for c in everything["checkpoints"]] == [1, 2, 3]
    assert [c["sequence"] for c in later["checkpoints"]] == [2, 3]
    first = Checkpoint.objects.get(sequence=1)
    assert everything["checkpoints"][0] == {
        "sequence": 1,
        "body": first.body,
        "signature": first.signature,
        "key_id": key.key_id,
        "digest": first.digest,
        "previous": GENESIS,
    }
    assert everything["next"] is None


def test_the_endpoint_pages_by_a_hundred(client):
    add_events(BatchFactory(), 101)

    page = client.get("/trace/checkpoints/").json()

    assert len(page["checkpoints"]) == 100
    assert page["next"] == "/trace/checkpoints/?after=100"
    assert [c["sequence"] for c in client.get(page["next"]).json()["checkpoints"]] == [101]


def test_the_endpoint_answers_a_batchs_latest_checkpoint(client):
    batch, other = BatchFactory(), BatchFactory()
    add_events(batch, 2)
    add_events(other, 1)

    answer = client.get(f"/trace/checkpoints/?batch={batch.pk}")

    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer.json()["checkpoint"]["sequence"] == 2
    assert answer.json()["batch"] == batch.pk


@pytest.mark.parametrize(
    ("query", "status"),
    [("?batch=abc", 400), ("?batch=-1", 400), ("?batch=99999", 404), ("?after=x", 400)],
)
def test_the_endpoint_refuses_bad_input_with_a_clear_answer(client, query, status):
    answer = client.get(f"/trace/checkpoints/{query}")

    assert answer.status_code == status
    assert set(answer.json()) == {"error"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_appends_to_many_batches_keep_one_unbroken_log():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with CI=true)")
    # given four batches, two appends racing on each
    batches = [BatchFactory() for _ in range(4)]
    barrier = threading.Barrier(8)
    failures = []

    def append(batch):
        try:
            barrier.wait(timeout=30)
            events.append_event(
                batch=batch, kind=EventKind.INSPECTION, occurred_at=timezone.now(),
                place="Lab", actor="Inspector",
            )  # fmt: skip
        except events.EventError as error:
            failures.append(error)
        finally:
            connections.close_all()

    # when eight appends start at the same instant
    threads = [threading.Thread(target=append, args=(b,)) for b in batches for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every append landed, and the log is one unbroken line naming every head
    assert failures == []
    log = list(Checkpoint.objects.order_by("sequence"))
    assert [c.sequence for c in log] == list(range(1, 9))
    assert [c.previous_digest for c in log] == [GENESIS] + [c.digest for c in log[:-1]]
    for batch in batches:
        chain = list(TraceEvent.objects.filter(batch=batch).order_by("sequence"))
        head = checkpoints.latest_head(batch_id=batch.pk)
        assert (head.events, head.head) == (2, chain[-1].hash)
