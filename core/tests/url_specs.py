from core.permissions import VIEW_DASHBOARD
from tests.harness.registry import UrlSpec

SPECS = [
    UrlSpec("favicon", public=True),
    UrlSpec("core:dashboard", permission=VIEW_DASHBOARD),
    UrlSpec("core:notification_list"),
    UrlSpec("core:notification_read_all", method="post"),
]
