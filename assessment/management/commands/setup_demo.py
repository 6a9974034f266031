from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services import DEMO_TRUST, demo_setup


class Command(BaseCommand):
    help = (
        "Create the demo trust, its assessment lead, two board members, a catalogue admin, "
        "and a demo system of six trusts with its reviewer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create the demo accounts even with DEBUG off (never on a live service).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Demo accounts have published passwords, so they are only created with "
                "DJANGO_DEBUG=1. Pass --allow-production to override on a test environment."
            )
        accounts = demo_setup(with_backup_codes=settings.DEBUG)
        self.stdout.write(self.style.SUCCESS(f"Demo trust: {DEMO_TRUST['name']}"))
        self.stdout.write("Sign in at http://127.0.0.1:8000/sign-in/ with:")
        role_width = max(len(account.role) for account in accounts)
        email_width = max(len(account.email) for account in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.role:<{role_width}}  {account.email:<{email_width}}  "
                f"{account.password}"
            )
        for account in accounts:
            if account.backup_codes:
                self.stdout.write(
                    f"Two-factor backup codes for {account.email} (each works once; "
                    f"new ones are made each time this runs): {' '.join(account.backup_codes)}"
                )
        self.stdout.write(
            "The demo trust has an open assessment: Sam Patel provides its finance figures, "
            "and a demonstration dataset offers three more figures."
        )
        self.stdout.write(
            "The demo trust belongs to a demo system of six trusts that have shared their "
            "results; the system reviewer sees who could support whom at /systems/."
        )
        self.stdout.write(
            "The lead, the catalogue admin and the system reviewer must use two-factor "
            "authentication: after the "
            "password, enter one of their backup codes, or set up an authenticator app from "
            "Your account."
        )
