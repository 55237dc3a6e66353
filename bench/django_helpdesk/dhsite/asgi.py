"""django-helpdesk served exactly as CCS is: Django's ASGI handler with CCS's cap on requests in flight per
process (`ccs/asgi_handler.py`, ADR 0020, same `WEB_MAX_IN_FLIGHT`), loaded from its file so that the comparison
differs only in the application."""

import importlib.util
import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dhsite.settings")

_HANDLER_FILE = Path(__file__).resolve().parents[3] / "ccs" / "asgi_handler.py"
_spec = importlib.util.spec_from_file_location("ccs_asgi_handler", _HANDLER_FILE)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

application = _module.get_bounded_asgi_application()
