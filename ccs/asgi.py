"""ASGI entry point: HTTP through Django, websockets through tenant-aware Channels routing."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccs.settings")

from ccs.asgi_handler import get_bounded_asgi_application  # noqa: E402

django_asgi_app = get_bounded_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from core.routing import websocket_urlpatterns  # noqa: E402
from core.ws_middleware import TenantWebsocketMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(TenantWebsocketMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
