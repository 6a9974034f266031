from __future__ import annotations

from typing import Any

from assessment.models import QuestionnaireVersion
from assessment.services.questionnaire_documents import QUESTIONNAIRE, questionnaire_import
from models_catalogue.management.version_import import VersionImportCommand
from models_catalogue.versioned_documents import MAX_DOCUMENT_BYTES


class Command(VersionImportCommand):
    document_kind = QUESTIONNAIRE
    max_bytes = MAX_DOCUMENT_BYTES

    def import_document(self, data: Any) -> QuestionnaireVersion:
        return questionnaire_import(document=data)
