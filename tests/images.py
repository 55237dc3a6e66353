import io

from PIL import Image


def png_bytes(width: int = 40, height: int = 20, colour=(29, 78, 216)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()
