"""System checks of the trace signing key (traceability.signing), run by `manage.py check`."""

from django.core.checks import Error, Tags, register

from traceability import signing

SIGNING_KEY_MISSING = "traceability.E001"
SIGNING_KEY_UNUSABLE = "traceability.E002"


@register(Tags.security)
def signing_key_configured(app_configs=None, **kwargs) -> list[Error]:
    """Every append to a trace record is signed: with no key the shop could record nothing.
    Production never generates one (a key made on a throwaway container disk would change
    with each deploy and orphan the public log), so it must be given."""
    if not signing.configured():
        return [
            Error(
                "No trace signing key: TRACE_SIGNING_KEY and TRACE_SIGNING_KEY_FILE are unset.",
                hint="Generate an Ed25519 key (docs/trace-verification.md) and set "
                "TRACE_SIGNING_KEY or TRACE_SIGNING_KEY_FILE; keep it out of the database.",
                id=SIGNING_KEY_MISSING,
            )
        ]
    try:
        signing.signing_key()
    except signing.SigningKeyError as error:
        return [Error(f"The trace signing key cannot be used: {error}", id=SIGNING_KEY_UNUSABLE)]
    return []
