"""Check a lot's trace record against the shop's signed checkpoint log, from public answers.

Standalone: the Python standard library and `cryptography`, no Django, nothing of the shop's
database. Run it as

    python traceability/verifier.py https://shop.example/01/08930000000019/10/NM-2025-01
    python traceability/verifier.py --key-id <sha256 hex of the public key> <digital link>

(`manage.py verify_trace --url <link>` runs this same module). It fetches the link's EPCIS
JSON-LD, recomputes every event's SHA-256 from its `ocop:record` and the chain of previous
hashes, fetches the batch's latest signed checkpoint from /trace/checkpoints/?batch=<id>,
checks its Ed25519 signature (with the published key, or the one you pin), compares the
signed event count and head with the chain, folds the chain's facts and compares them with
the published facts, and downloads each evidence photo to compare its SHA-256.

Exit status: 0 the record is intact, 1 it was tampered with (each problem printed),
2 it cannot be checked (unreachable, not a trace record, or no key to trust).
The canonical JSON here must stay the same as traceability.records.canonical.
"""

import os
import sys

# Run as a script, this file's folder would come first on the path, and the shop's own
# modules there (selectors.py) would shadow the standard library's.
_HERE = os.path.dirname(os.path.abspath(__file__))
if __name__ == "__main__" and sys.path and os.path.abspath(sys.path[0]) == _HERE:
    sys.path.pop(0)

import argparse  # noqa: E402
import base64  # noqa: E402
import binascii  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: E402

INTACT, TAMPERED, CANNOT_CHECK = 0, 1, 2
GENESIS = "0" * 64
JSONLD = "application/ld+json"
TIMEOUT_SECONDS = 20
# What each event's readable fields must say, compared with the record its hash covers.
SHOWN_AS = {
    "ocop:stage": "kind",
    "ocop:sequence": "sequence",
    "ocop:place": "place",
    "ocop:actor": "actor",
    "ocop:previousHash": "previous_hash",
}


class CannotCheck(Exception):
    """The answers needed are missing or unreadable; nothing can be said of the record."""


class NotFound(CannotCheck):
    """The shop answered 404: for something its own record names, that is a finding."""


@dataclass
class Result:
    link: str
    events: int = 0
    checkpoint: int | None = None
    key_id: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        return TAMPERED if self.problems else INTACT


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _get(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.read()
    except urllib.error.HTTPError as error:
        kind = NotFound if error.code == 404 else CannotCheck
        raise kind(f"{url} answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise CannotCheck(f"{url} cannot be reached: {error}") from None


def _get_json(url: str, accept: str) -> dict:
    try:
        data = json.loads(_get(url, accept))
    except (ValueError, UnicodeDecodeError):
        raise CannotCheck(f"{url} did not answer JSON") from None
    if not isinstance(data, dict):
        raise CannotCheck(f"{url} did not answer a JSON object")
    return data


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _public_key(text: str) -> Ed25519PublicKey:
    """A pinned key: base64 of the 32 raw bytes, a PEM text, or a file holding either."""
    if os.path.isfile(text):
        with open(text, "rb") as handle:
            text = handle.read().decode()
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise CannotCheck("The pinned key is not an Ed25519 public key.")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error):
        raise CannotCheck("The pinned public key cannot be read.") from None


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def check_chain(events: list, batch_id, result: Result) -> list[dict]:
    """Recompute each event's hash from its record and the chain; returns the records."""
    previous, records = GENESIS, []
    for position, event in enumerate(events, start=1):
        record = event.get("ocop:record")
        if not isinstance(record, dict):
            result.problems.append(f"stage {position}: no ocop:record to check")
            return records
        records.append(record)
        if record.get("sequence") != position:
            result.problems.append(
                f"stage {position}: its record says sequence {record.get('sequence')} "
                "(a stage was removed or moved)"
            )
        if record.get("previous_hash") != previous:
            result.problems.append(f"stage {position}: does not follow the stage before it")
        if hashlib.sha256(canonical(record)).hexdigest() != event.get("ocop:hash"):
            result.problems.append(f"stage {position}: its content does not match its hash")
        if record.get("batch") != batch_id:
            result.problems.append(f"stage {position}: belongs to another batch")
        for shown, name in SHOWN_AS.items():
            if event.get(shown) != record.get(name):
                result.problems.append(f"stage {position}: {shown} differs from its record")
        previous = event.get("ocop:hash")
    return records


def check_checkpoint(answer: dict, events: list, batch_id, result: Result, pinned) -> None:
    """The batch's latest signed checkpoint: signature, digest, and the head it states."""
    checkpoint = answer.get("checkpoint") or {}
    try:
        published = Ed25519PublicKey.from_public_bytes(base64.b64decode(answer["public_key"]))
        body = checkpoint["body"].encode()
        signature = base64.b64decode(checkpoint["signature"], validate=True)
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
        raise CannotCheck("The checkpoint answer is not readable.") from None
    key = pinned or published
    result.key_id = hashlib.sha256(_raw(key)).hexdigest()
    if answer.get("key_id") != result.key_id or checkpoint.get("key_id") != result.key_id:
        result.problems.append("the checkpoint is not signed with the trusted key")
    try:
        key.verify(signature, body)
    except InvalidSignature:
        result.problems.append("the checkpoint's signature is not valid")
        return
    if hashlib.sha256(body + signature).hexdigest() != checkpoint.get("digest"):
        result.problems.append("the checkpoint's digest does not match its body and signature")
    statement = json.loads(body)
    result.checkpoint = statement.get("sequence")
    if statement.get("previous") != checkpoint.get("previous"):
        result.problems.append("the checkpoint names a different previous checkpoint")
    heads = [head for head in statement.get("heads", []) if head.get("batch") == batch_id]
    if not heads:
        result.problems.append("the signed checkpoint does not name this batch")
        return
    signed = heads[-1]
    if signed.get("events") != len(events):
        result.problems.append(
            f"the shop signed {signed.get('events')} stages; the record has {len(events)}"
        )
    last = events[-1].get("ocop:hash") if events else GENESIS
    if signed.get("head") != last:
        result.problems.append("the last stage is not the one the shop signed")


def check_facts(records: list[dict], published: dict, result: Result) -> None:
    facts: dict = {}
    for record in records:
        facts.update(record.get("facts") or {})
    for name in sorted(set(facts) | set(published)):
        if facts.get(name) != published.get(name):
            result.problems.append(
                f"fact {name}: the batch says {published.get(name)!r}, "
                f"its stages say {facts.get(name)!r}"
            )


def check_photos(events: list, records: list[dict], link: str, result: Result) -> None:
    for position, (event, record) in enumerate(zip(events, records, strict=False), start=1):
        if not record.get("photo"):
            continue
        url = event.get("ocop:photo")
        if not url:
            result.problems.append(f"stage {position}: its photo is not published")
            continue
        try:
            photo = _get(urllib.parse.urljoin(link, url), "image/*")
        except NotFound:
            result.problems.append(f"stage {position}: the photo recorded is gone")
            continue
        if hashlib.sha256(photo).hexdigest() != record.get("photo_sha256"):
            result.problems.append(f"stage {position}: the photo is not the one recorded")


def verify(link: str, *, key_id: str = "", public_key: str = "") -> Result:
    """Check the record behind a GS1 Digital Link. Raises CannotCheck."""
    result = Result(link=link)
    document = _get_json(_with_query(link, linkType="gs1:epcis"), JSONLD)
    try:
        events = list(document["epcisBody"]["eventList"])
        batch_id = document["ocop:batch"]
        published_facts = document["ocop:facts"]
    except (KeyError, TypeError):
        raise CannotCheck("The answer is not the shop's EPCIS record of a lot.") from None
    result.events = len(events)
    records = check_chain(events, batch_id, result)
    checkpoints_url = urllib.parse.urljoin(link, f"/trace/checkpoints/?batch={batch_id}")
    try:
        answer = _get_json(checkpoints_url, "application/json")
    except NotFound:
        if events:
            result.problems.append("no signed checkpoint names this batch")
        answer = None
    pinned = _public_key(public_key) if public_key else None
    if answer is not None:
        check_checkpoint(answer, events, batch_id, result, pinned)
        if key_id and key_id.lower() != result.key_id:
            raise CannotCheck(f"The shop's key is {result.key_id}, not the pinned {key_id}.")
    check_facts(records, published_facts, result)
    check_photos(events, records, link, result)
    return result


def report(result: Result) -> str:
    lines = [f"Record: {result.link}", f"Stages: {result.events}"]
    if result.checkpoint is not None:
        lines.append(f"Signed checkpoint: #{result.checkpoint} (key {result.key_id})")
    if result.problems:
        lines.append("TAMPERED:")
        lines.extend(f"  - {problem}" for problem in result.problems)
    else:
        lines.append("INTACT: every stage, fact and photo matches the shop's signed checkpoint.")
    return "\n".join(lines)


def main(argv: list[str] | None = None, out=sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("link", help="the lot's GS1 Digital Link, as on its QR code")
    parser.add_argument("--key-id", default="", help="trust only this key id (SHA-256 hex)")
    parser.add_argument(
        "--public-key", default="", help="trust only this Ed25519 public key (base64, PEM or file)"
    )
    arguments = parser.parse_args(argv)
    try:
        result = verify(arguments.link, key_id=arguments.key_id, public_key=arguments.public_key)
    except CannotCheck as reason:
        out.write(f"CANNOT CHECK: {reason}\n")
        return CANNOT_CHECK
    out.write(report(result) + "\n")
    return result.code


if __name__ == "__main__":
    sys.exit(main())
