from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Customer portal"

    def ready(self):
        from core.notifications import live_topic_register
        from portal import event_kinds  # noqa: F401 - registers how portal events read
        from quotes.permissions import VIEW_QUOTES

        # Staff quote pages listen to this topic; the portal's answers (viewed, accepted, rejected) signal it.
        live_topic_register(topic="quotes", permission=VIEW_QUOTES)
