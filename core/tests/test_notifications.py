from core.models import Notification
from core.notifications import notify_role


def test_notify_role_reaches_each_active_holder_of_the_role_only(tenant1, make_user):
    manager = make_user(role="Manager", email="m1@example.com")
    make_user(role="Manager", email="m2@example.com", is_active=False)
    make_user(role="Sales", email="s@example.com")
    notifications = notify_role(role="Manager", message="Pipeline review at 3pm", link="/pipeline/")
    assert [n.recipient for n in notifications] == [manager]
    assert list(Notification.objects.values_list("recipient__email", "message")) == [("m1@example.com", "Pipeline review at 3pm")]


def test_the_notification_page_lists_them_and_mark_all_read_clears_the_badge(admin_client1, admin_user):
    for index in range(3):
        Notification.objects.create(recipient=admin_user, message=f"Note {index}", link="/users/")
    page = admin_client1.get("/notifications/").content.decode()
    assert page.count("notification-unread") == 3 and 'data-testid="unread-count">3<' in page
    bell = admin_client1.post("/notifications/read/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="notification-bell"' in bell and "unread-count" not in bell
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert "Mark all as read" not in admin_client1.get("/notifications/").content.decode()
