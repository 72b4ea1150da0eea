"""Streaming upload handler that stops a file as soon as it passes its size limit."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from lumethic.api.errors import PayloadTooLarge


def field_limit(field_name: str) -> int:
    if field_name == "raw":
        return settings.MAX_RAW_BYTES
    return settings.MAX_JPEG_BYTES


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, field_name: str, *args: object, **kwargs: object) -> None:
        self._limit = field_limit(field_name)
        self._received = 0
        super().new_file(field_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received > self._limit:
            self.file.close()
            raise PayloadTooLarge(
                f"The file in '{self.field_name}' is larger than {self._limit // (1024 * 1024)} MB."
            )
        return super().receive_data_chunk(raw_data, start)
