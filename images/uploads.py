from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class TooLargeUpload(InMemoryUploadedFile):
    """An upload cut off at IMAGE_MAX_UPLOAD_BYTES: empty, kept only so that the
    form can say why the picture was refused."""


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keeps every upload in memory, so an unscrubbed picture never touches a
    disk, and stops collecting past IMAGE_MAX_UPLOAD_BYTES so a huge upload costs
    no memory; the form then receives a TooLargeUpload."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        if self.too_large:
            return None
        if self.buffer.tell() + len(raw_data) > settings.IMAGE_MAX_UPLOAD_BYTES:
            self.too_large = True
            self.buffer = BytesIO()
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        upload_class = TooLargeUpload if self.too_large else InMemoryUploadedFile
        return upload_class(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
