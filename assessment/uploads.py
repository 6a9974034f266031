"""Uploads kept small: refused before their body is read, and problem lists kept short.

Django reads a whole request body before a form sees its file, writing large files to
disk. A view that accepts a file checks the request's Content-Length first, then installs
`CappedUploadHandler` so that a body whose length was understated (a chunked request on
ASGI) still stops being read at the limit. CSRF middleware reads the body too, so such a
view is exempt from the middleware and checks CSRF itself after installing the handler.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

PROBLEMS_LISTED = 50
# Room for the form's other fields and the multipart headers around the file.
MULTIPART_ALLOWANCE = 16 * 1024


def body_too_large(request: HttpRequest, *, limit: int) -> bool:
    """Whether the request says its body is longer than a file of `limit` bytes needs."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # Django reads no body at all from an invalid length
        return False
    return length > limit + MULTIPART_ALLOWANCE


class CappedUploadHandler(FileUploadHandler):
    """Keeps uploaded files in memory up to `limit` bytes in all. More stops the upload
    there, without reading the rest of the body; `stopped` then says so."""

    def __init__(self, request: HttpRequest, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.stopped = False
        self.file = BytesIO()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = BytesIO()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.stopped = True
            raise StopUpload(connection_reset=True)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def problems_listed(problems: list[str], *, limit: int = PROBLEMS_LISTED) -> list[str]:
    """The first `limit` problems, then a line counting the rest: fixing those listed and
    uploading again shows the next ones, and the page stays small."""
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [*problems[:limit], f"and {rest:,} more problem{'' if rest == 1 else 's'}"]
