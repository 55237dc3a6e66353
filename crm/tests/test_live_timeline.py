"""A change to a customer appears on every open page of that customer, and nowhere else."""

from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from ccs.asgi import application
from crm.models import CustomerStatus
from crm.services import customers as services
from crm.tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def _same_connection():
    with mock.patch("channels.db.close_old_connections"):
        yield


def _socket(path, session_key, host="test1.localhost"):
    return WebsocketCommunicator(application, path, headers=[
        (b"host", host.encode()), (b"origin", f"http://{host}".encode()), (b"cookie", f"ccs_session={session_key}".encode())])


def test_a_status_change_appears_live_on_the_customers_open_page_only(
    admin_user, make_user, client_for, tenant2, in_tenant, django_capture_on_commit_callbacks
):
    customer, other = CustomerFactory(name="Live Co"), CustomerFactory(name="Other Co")
    viewer = make_user(role="Read-only")
    key = client_for(viewer).session.session_key
    watching = _socket(f"/ws/customers/{customer.pk}/", key)
    elsewhere = _socket(f"/ws/customers/{other.pk}/", key)

    def change():
        with django_capture_on_commit_callbacks(execute=True):
            services.customer_status_change(customer=customer, status=CustomerStatus.PROSPECT, acting_user=admin_user)

    async def scenario():
        assert (await watching.connect())[0] and (await elsewhere.connect())[0]
        await sync_to_async(change)()
        html = await watching.receive_from(timeout=3)
        nothing = await elsewhere.receive_nothing(timeout=0.3)
        await watching.disconnect()
        await elsewhere.disconnect()
        return html, nothing

    html, nothing_elsewhere = async_to_sync(scenario)()
    assert '<div id="timeline-events" hx-swap-oob="afterbegin">' in html
    assert "changed the status from Lead to Prospect" in html and "Ada Admin" in html
    assert nothing_elsewhere is True


def test_customers_of_another_tenant_or_unknown_ones_refuse_the_socket(admin_user, client_for, tenant2, in_tenant):
    with in_tenant(tenant2):
        foreign = CustomerFactory()
    key = client_for(admin_user).session.session_key

    async def connect(path):
        socket = _socket(path, key)
        connected, code = await socket.connect()
        if connected:
            await socket.disconnect()
        return connected, code

    assert async_to_sync(connect)(f"/ws/customers/{foreign.pk}/") == (False, 4404)
    assert async_to_sync(connect)("/ws/customers/999999999/") == (False, 4404)
