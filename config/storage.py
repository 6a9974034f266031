"""Static file storage for production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Compressed, content-hashed static files, with hashed names inside JS module imports
    too, so `static/js/app.js` loads the NHS.UK frontend module it was built against."""

    support_js_module_import_aggregation = True
