"""Managers maintain SLA policies, holidays, categories and canned responses; changes move open tickets' deadlines."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.models import Event
from helpdesk.models import BusinessHoliday, SlaPolicy, Ticket
from helpdesk.services.sla import ticket_sla_refresh
from helpdesk.tests.factories import make_ticket
from helpdesk.tests.url_specs import POLICY_DATA
from tests.html_validity import assert_valid_html

LONDON = ZoneInfo("Europe/London")


def test_editing_the_default_policy_recomputes_open_tickets_with_the_reason(admin_client1, admin_user,
                                                                            django_capture_on_commit_callbacks):
    ticket = make_ticket(acting_user=admin_user)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=datetime(2026, 11, 30, 9, 0, tzinfo=LONDON))
    ticket.refresh_from_db()
    ticket_sla_refresh(ticket=ticket, acting_user=None, now=datetime(2026, 11, 30, 9, 0, tzinfo=LONDON), reason=None)
    policy = SlaPolicy.objects.get(is_default=True)
    page = admin_client1.get(f"/helpdesk/sla-policies/{policy.pk}/")
    assert 'value="8.00"' in page.content.decode()  # medium response: 480 minutes shown as hours
    assert_valid_html(page.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/helpdesk/sla-policies/{policy.pk}/", {**POLICY_DATA, "name": "Standard",
                                                                               "make_default": "on"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.response_medium, policy.opens_at.hour, policy.closes_at.hour) == (240, 8, 18)
    ticket.refresh_from_db()
    # Mon 09:00 + 4 business hours (08:00–18:00) = Mon 13:00
    assert ticket.response_due_at == datetime(2026, 11, 30, 13, 0, tzinfo=LONDON)
    reason = Event.objects.filter(kind="helpdesk.ticket_sla_changed").get().data["reason"]
    assert reason.startswith("SLA policy “Standard” changed: first response due moved from Mon 30 Nov 17:00 to "
                             "Mon 30 Nov 13:00")


def test_a_policy_without_working_days_is_refused_and_the_form_keeps_what_was_typed(admin_client1):
    response = admin_client1.post("/helpdesk/sla-policies/new/", {**POLICY_DATA, "name": "Odd", "working_days": []})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose at least one working day, or make the policy 24 hours a day." in html and 'value="Odd"' in html
    assert not SlaPolicy.objects.filter(name="Odd").exists()


def test_the_default_policy_cannot_be_deleted(admin_client1):
    policy = SlaPolicy.objects.get(is_default=True)
    response = admin_client1.post(f"/helpdesk/sla-policies/{policy.pk}/delete/", follow=True)
    assert "The default policy cannot be deleted" in response.content.decode()
    assert SlaPolicy.objects.filter(pk=policy.pk).exists()


def test_the_settings_page_lists_the_seeded_defaults(admin_client1, assert_queries):
    with assert_queries(9):
        response = admin_client1.get("/helpdesk/settings/")
    html = response.content.decode()
    assert html.count('data-testid="sla-policy"') == 1 and "Standard (office hours)" in html
    assert html.count('data-testid="holiday"') == 16 and "Boxing Day (substitute day)" in html
    assert_valid_html(html)
    admin_client1.post("/helpdesk/holidays/", {"date": "2026-12-24", "name": "Christmas Eve (office closed)"})
    assert BusinessHoliday.objects.filter(date=date(2026, 12, 24)).exists()
    again = admin_client1.post("/helpdesk/holidays/", {"date": "2026-12-24", "name": "Again"}, follow=True)
    assert "24 Dec 2026 is already a holiday." in again.content.decode()
