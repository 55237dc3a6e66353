"""The live timeline of one customer: joins that customer's group when the user may see the customer."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django_tenants.utils import tenant_context

from core.timeline import customer_group_name
from crm.models import Customer
from crm.permissions import VIEW_CUSTOMERS

CLOSE_NOT_FOUND = 4404


class CustomerTimelineConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.tenant = self.scope["tenant"]
        customer_id = int(self.scope["url_route"]["kwargs"]["pk"])
        if not await database_sync_to_async(self._may_see)(self.scope["user"], customer_id):
            # The same answer for "no such customer" and "not yours", as the pages give.
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.group = customer_group_name(schema=self.tenant.schema_name, customer_id=customer_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    def _may_see(self, user, customer_id: int) -> bool:
        with tenant_context(self.tenant):
            return user.has_perm(VIEW_CUSTOMERS) and Customer.objects.filter(pk=customer_id).exists()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing the page sends is acted on."""

    async def notify_html(self, event):
        await self.send(text_data=event["html"])
