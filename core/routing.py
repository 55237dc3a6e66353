from django.urls import path

from core.consumers import LiveConsumer
from crm.consumers import CustomerTimelineConsumer

websocket_urlpatterns = [
    path("ws/live/", LiveConsumer.as_asgi()),
    path("ws/customers/<int:pk>/", CustomerTimelineConsumer.as_asgi()),
]
