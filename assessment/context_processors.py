from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    """The service's phase, shown in the phase banner."""
    return {"service_phase": settings.SERVICE_PHASE}
