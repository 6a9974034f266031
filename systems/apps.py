from __future__ import annotations

from django.apps import AppConfig


class SystemsConfig(AppConfig):
    name = "systems"
    verbose_name = "Systems and shared results"
    default_auto_field = "django.db.models.BigAutoField"
