"""The shop's Ed25519 key that signs the checkpoint log, and nothing else.

The private key never enters the database: whoever can write the database could otherwise
sign a rewritten record. It comes from, in order:
- `TRACE_SIGNING_KEY`: a PEM private key, or base64 of the 32 raw private-key bytes;
- `TRACE_SIGNING_KEY_FILE`: a file holding either of those (must exist);
- `TRACE_SIGNING_KEY_GENERATED`: on the embedded default (and in tests) a key file that is
  generated once, beside the SQLite file. Production settings set it to None and
  traceability.checks refuses to start without one of the first two.
The key id is the SHA-256 (hex) of the raw 32-byte public key, published with the log.
"""

import base64
import binascii
import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"


class SigningKeyError(ImproperlyConfigured):
    """No signing key is configured, or the one configured is not an Ed25519 private key."""


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_raw: bytes

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self.public_raw).hexdigest()

    @property
    def public_base64(self) -> str:
        return base64.b64encode(self.public_raw).decode()

    @property
    def public_pem(self) -> str:
        public = self.private.public_key()
        return public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_raw).verify(signature, data)
        except InvalidSignature:
            return False
        return True


_LOADED: dict[tuple, SigningKey] = {}


def parse_private_key(text: bytes) -> Ed25519PrivateKey:
    """A PEM Ed25519 private key, or base64 of its 32 raw bytes. Raises SigningKeyError."""
    text = text.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text, password=None)
        except (ValueError, TypeError) as error:
            message = f"The trace signing key is not a readable PEM key: {error}"
            raise SigningKeyError(message) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyError("The trace signing key must be an Ed25519 key.")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SigningKeyError("The trace signing key is neither PEM nor base64.") from None
    if len(raw) != 32:
        raise SigningKeyError("A base64 trace signing key must decode to 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _generated(path: Path) -> Ed25519PrivateKey:
    """The key in `path`, generated the first time. Two processes starting together agree:
    each writes a private temporary file and links it into place; the first link wins."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".trace-key-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_pem(Ed25519PrivateKey.generate()))
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return parse_private_key(path.read_bytes())


def _configured() -> tuple[str, str, str]:
    generated = getattr(settings, "TRACE_SIGNING_KEY_GENERATED", None)
    return (
        getattr(settings, "TRACE_SIGNING_KEY", "") or "",
        getattr(settings, "TRACE_SIGNING_KEY_FILE", "") or "",
        str(generated) if generated else "",
    )


def configured() -> bool:
    """Whether settings name a key at all (the system check's question)."""
    return any(_configured())


def signing_key() -> SigningKey:
    """The configured key (loaded once per setting). Raises SigningKeyError."""
    source = _configured()
    if source in _LOADED:
        return _LOADED[source]
    value, file_name, generated = source
    if value:
        private = parse_private_key(value.encode())
    elif file_name:
        try:
            private = parse_private_key(Path(file_name).read_bytes())
        except OSError as error:
            raise SigningKeyError(f"TRACE_SIGNING_KEY_FILE cannot be read: {error}") from None
    elif generated:
        private = _generated(Path(generated))
    else:
        raise SigningKeyError("Set TRACE_SIGNING_KEY or TRACE_SIGNING_KEY_FILE.")
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    _LOADED[source] = SigningKey(private=private, public_raw=public_raw)
    return _LOADED[source]
