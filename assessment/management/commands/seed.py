from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the seed content (published version 1 of each catalogue). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("No seed content to load yet.")
