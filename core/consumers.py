"""The one live channel of a signed-in page: receives HTML fragments that htmx swaps in (toasts, badge counts)."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django_tenants.utils import tenant_context

from core.notifications import live_topics_for, role_group_name, topic_group_name, user_group_name


class LiveConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.tenant = self.scope["tenant"]
        user = self.scope["user"]
        role, topics = await database_sync_to_async(self._role_and_topics_of)(user)
        schema = self.tenant.schema_name
        self.groups_joined = [user_group_name(schema=schema, user_id=user.pk)]
        if role:
            self.groups_joined.append(role_group_name(schema=schema, role=role))
        self.groups_joined += [topic_group_name(schema=schema, topic=topic) for topic in topics]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    def _role_and_topics_of(self, user):
        # Every DB call in a consumer may land on a thread whose connection is on another schema: set it each time.
        with tenant_context(self.tenant):
            return user.role, live_topics_for(user)

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """The page sends nothing we act on (htmx's ws extension may send form data): ignore it."""

    async def notify_html(self, event):
        await self.send(text_data=event["html"])
