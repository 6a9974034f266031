from __future__ import annotations

from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Trusts and assessments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessment import security

        security.connect()
