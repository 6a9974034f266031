from __future__ import annotations

from typing import Any

from assessment.services.published import questionnaire_published_definition
from models_catalogue.documents import CATALOGUE
from models_catalogue.management.version_import import VersionImportCommand
from models_catalogue.models import CatalogueVersion
from models_catalogue.services import catalogue_import
from models_catalogue.versioned_documents import MAX_DOCUMENT_BYTES


class Command(VersionImportCommand):
    document_kind = CATALOGUE
    max_bytes = MAX_DOCUMENT_BYTES  # as the admin's upload, and the questionnaire's command

    def import_document(self, data: Any) -> CatalogueVersion:
        return catalogue_import(data=data, questionnaire=questionnaire_published_definition())
