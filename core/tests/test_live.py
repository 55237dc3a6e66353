"""The live channel: tenant from Host, user from that tenant's session, pushes only to the right sockets."""

from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.roles import Role
from ccs.asgi import application
from core.notifications import notify_user


@pytest.fixture(autouse=True)
def _same_connection():
    # Consumers close "old" connections around each DB call; in a rollback test that would end the test transaction.
    with mock.patch("channels.db.close_old_connections"):
        yield


def _communicator(host: str, session_key: str = ""):
    headers = [(b"host", host.encode()), (b"origin", f"http://{host}".encode())]
    if session_key:
        headers.append((b"cookie", f"ccs_session={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


def _session_key(client_for, user, host="test1.localhost"):
    client = client_for(user, host=host)
    return client.session.session_key


def _connect(communicator):
    async def run():
        connected, code = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(run)()


def test_anonymous_sockets_are_refused(tenant1):
    assert _connect(_communicator("test1.localhost")) == (False, 4401)


def test_unknown_hosts_are_refused(tenant1):
    assert _connect(_communicator("nobody.localhost")) == (False, 4404)


def test_a_session_of_another_tenant_is_anonymous_here(tenant1, admin_user, client_for):
    key = _session_key(client_for, admin_user)
    assert _connect(_communicator("test2.localhost", key)) == (False, 4401)


def test_a_suspended_tenant_refuses_sockets(tenant1, admin_user, client_for):
    key = _session_key(client_for, admin_user)
    tenant1.status = "suspended"
    tenant1.save(update_fields=["status"])
    assert _connect(_communicator("test1.localhost", key)) == (False, 4403)


def test_a_notification_arrives_as_a_toast_and_badge_on_the_open_page(
    tenant1, admin_user, make_user, client_for, django_capture_on_commit_callbacks
):
    # given the admin's page is connected, and a colleague's too
    admin_socket = _communicator("test1.localhost", _session_key(client_for, admin_user))
    colleague = make_user(role=Role.SALES)
    colleague_socket = _communicator("test1.localhost", _session_key(client_for, colleague))

    def push():
        with django_capture_on_commit_callbacks(execute=True):
            notify_user(user=admin_user, message="Jane Doe accepted your invitation.", link="/users/")

    async def scenario():
        assert (await admin_socket.connect())[0]
        assert (await colleague_socket.connect())[0]
        # when
        await sync_to_async(push)()
        admin_html = await admin_socket.receive_from(timeout=3)
        colleague_got_nothing = await colleague_socket.receive_nothing(timeout=0.3)
        await admin_socket.disconnect()
        await colleague_socket.disconnect()
        return admin_html, colleague_got_nothing

    admin_html, colleague_got_nothing = async_to_sync(scenario)()
    # then
    assert 'hx-swap-oob="beforeend"' in admin_html and "Jane Doe accepted your invitation." in admin_html
    assert 'data-testid="unread-count">1<' in admin_html
    assert colleague_got_nothing is True


def test_group_names_are_namespaced_by_schema():
    from core.notifications import role_group_name, user_group_name

    assert user_group_name(schema="test1", user_id=7) == "t_test1_user_7"
    assert role_group_name(schema="test2", role="Support agent") == "t_test2_role_support-agent"
