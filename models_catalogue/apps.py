from __future__ import annotations

from django.apps import AppConfig


class ModelsCatalogueConfig(AppConfig):
    name = "models_catalogue"
    verbose_name = "Catalogue of organisational forms"
    default_auto_field = "django.db.models.BigAutoField"
