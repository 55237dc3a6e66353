"""Logo uploads: checked by content (not by file name), stored under the tenant's own folder, served by a view."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_LOGO_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
LOGO_MAX_PIXELS = 2000


def logo_validate(upload) -> str:
    """Return the image format of a valid logo or raise ValidationError with a message for the form."""
    if upload.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must be at most %(kb)d KB; this file is %(size)d KB.")
                              % {"kb": settings.LOGO_MAX_BYTES // 1024, "size": upload.size // 1024})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            image_format = image.format
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(_("This file is not a PNG, JPEG or WebP image.")) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_LOGO_FORMATS:
        raise ValidationError(_("Use a PNG, JPEG or WebP image (this one is %(format)s).") % {"format": image_format})
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(_("The logo must be at most %(px)d×%(px)d pixels.") % {"px": LOGO_MAX_PIXELS})
    return image_format


def logo_store(*, tenant, upload) -> str:
    image_format = logo_validate(upload)
    extension = ALLOWED_LOGO_FORMATS[image_format][0]
    upload.seek(0)
    return default_storage.save(f"{tenant.schema_name}/branding/logo-{uuid.uuid4().hex[:12]}.{extension}",
                                ContentFile(upload.read()))


def logo_content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    for ext, content_type in ALLOWED_LOGO_FORMATS.values():
        if ext == extension:
            return content_type
    return "application/octet-stream"
