"""Print an enrolment link for a user: how the very first national administrator, whom no
other administrator can send one, sets up two-factor authentication. Run by the server's
operator, who can read the output (the link is not mailed, and not logged)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.services import enrolment_link_create
from common.errors import DomainError
from coordinators.models import User


class Command(BaseCommand):
    help = "Print a one-time, 24-hour link with which USERNAME sets up two-factor authentication."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None
        try:
            url = enrolment_link_create(user=user, created_by=None)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(url)
