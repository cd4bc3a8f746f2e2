"""`manage.py issue_api_token EMAIL --name NAME`: the door to shop.graphql.tokens.issue_token."""

from django.core.management.base import BaseCommand, CommandError

from shop.graphql import tokens
from shop.models import User


class Command(BaseCommand):
    help = (
        "Issue a GraphQL API token for an active staff account and print it once. Requests "
        "send it as 'Authorization: Bearer <token>'; deleting the token in the admin revokes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The staff account's email address.")
        parser.add_argument("--name", default="API", help="What the token is for.")

    def handle(self, *args, email: str, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the email {email!r}.")
        try:
            token, key = tokens.issue_token(user=user, name=name)
        except tokens.TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Token {token.name!r} for {user.email}; it is shown only now:")
        self.stdout.write(key)
