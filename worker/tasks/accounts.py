"""Account email tasks: take a user id, a kind and a language; call shop.accounts."""

from shop import accounts
from worker.celery import app
from worker.tasks.emails import RETRY_POLICY


@app.task(**RETRY_POLICY)
def send_account_email(*, user_id: int, kind: str, language: str) -> bool:
    return accounts.send_email(user_id=user_id, kind=kind, language=language)
