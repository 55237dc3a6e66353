from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Event
from crm.errors import CrmError
from crm.models import Activity
from crm.services import activities as services
from crm.services.contacts import contact_create
from crm.tests.factories import CustomerFactory
from tests.html_validity import assert_valid_html


def test_logging_an_activity_puts_it_on_the_timeline(admin_user):
    customer = CustomerFactory()
    contact = contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Nia", "last_name": "Jones"})
    services.activity_log(customer=customer, acting_user=admin_user, fields={
        "kind": "call", "subject": "Wi-Fi survey", "contact": contact, "outcome": "meeting_booked",
        "follow_up_on": timezone.localdate() + timedelta(days=2)})
    event = Event.objects.get(kind="crm.activity_logged")
    assert event.customer_id == customer.pk and event.data["contact"] == "Nia Jones"
    from core.event_kinds import event_describe

    assert event_describe(event).startswith("logged a call: Wi-Fi survey with Nia Jones (meeting booked); follow up on")


def test_a_contact_of_another_customer_is_refused(admin_user):
    customer, other = CustomerFactory(), CustomerFactory()
    stranger = contact_create(customer=other, acting_user=admin_user, fields={"first_name": "X"})
    with pytest.raises(CrmError, match="another customer"):
        services.activity_log(customer=customer, acting_user=admin_user, fields={"subject": "s", "contact": stranger})


def test_logging_in_place_and_completing(admin_client1, admin_user):
    customer = CustomerFactory()
    panel = admin_client1.get(f"/customers/{customer.pk}/activities/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="activity-form"' in panel
    assert_valid_html(panel, fragment=True)
    response = admin_client1.post(f"/customers/{customer.pk}/activities/new/", {
        "kind": "task", "subject": "Send the survey report", "occurred_at": "2026-11-20T10:00",
        "follow_up_on": "2026-11-30", "notes": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-subject="Send the survey report"' in html and "Mark done" in html
    activity = Activity.objects.get()
    assert (activity.owner, activity.follow_up_on.isoformat()) == (admin_user, "2026-11-30")
    done = admin_client1.post(f"/activities/{activity.pk}/complete/", {"from": "customer"}, HTTP_HX_REQUEST="true")
    assert "Mark done" not in done.content.decode() and Activity.objects.get().completed_at is not None


def test_a_bad_activity_keeps_what_was_typed(admin_client1):
    customer = CustomerFactory()
    response = admin_client1.post(f"/customers/{customer.pk}/activities/new/",
                                  {"kind": "call", "subject": "", "notes": "Keep these notes", "occurred_at": "nonsense"},
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 422 and "This field is required." in html and "Keep these notes" in html


def test_my_follow_ups_groups_overdue_today_and_this_week(admin_client1, admin_user, make_user):
    customer = CustomerFactory(name="Oakfield")
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    colleague = make_user(role="Sales")
    for subject, due, owner in (("Late", today - timedelta(days=3), admin_user), ("Now", today, admin_user),
                                ("Soon", week_end, admin_user), ("Next month", today + timedelta(days=40), admin_user),
                                ("Theirs", today, colleague)):
        services.activity_log(customer=customer, acting_user=admin_user, owner=owner,
                              fields={"subject": subject, "follow_up_on": due})
    html = admin_client1.get("/follow-ups/").content.decode()
    assert_valid_html(html)

    def group(key):
        section = html.split(f'data-testid="follow-ups-{key}"')[1].split("</ul>")[0]
        return [part.split('"')[0] for part in section.split('data-subject="')[1:]]

    expected_week = ["Soon"] if week_end != today else []
    assert (group("overdue"), group("today"), group("week")) == (["Late"], ["Now"] + (["Soon"] if week_end == today else []), expected_week)


def test_editing_an_activity_records_what_changed_and_leaves_the_rest(admin_user):
    customer = CustomerFactory()
    activity = services.activity_log(customer=customer, acting_user=admin_user, fields={
        "kind": "call", "subject": "Intro call", "occurred_at": timezone.now(), "outcome": "no_answer"})
    services.activity_update(activity=activity, acting_user=admin_user,
                             fields={"kind": "call", "subject": "Intro call", "outcome": "reached", "duration_minutes": 15})
    activity.refresh_from_db()
    assert (activity.outcome, activity.duration_minutes) == ("reached", 15)
    event = Event.objects.filter(kind="crm.activity_changed").get()
    assert (event.customer_id, event.data["fields"]) == (customer.pk, ["duration (minutes)", "outcome"])
    # saving without a change writes no history
    services.activity_update(activity=activity, acting_user=admin_user, fields={"outcome": "reached"})
    assert Event.objects.filter(kind="crm.activity_changed").count() == 1


def test_editing_in_place_on_the_activities_tab(admin_client1, admin_user):
    customer = CustomerFactory()
    activity = services.activity_log(customer=customer, acting_user=admin_user, fields={
        "kind": "meeting", "subject": "Site survey", "occurred_at": timezone.now()})
    url = f"/customers/{customer.pk}/activities/{activity.pk}/edit/"
    form = admin_client1.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="activity-edit"' in form and f'id="id_activity-{activity.pk}-subject"' in form
    assert_valid_html(form, fragment=True)
    prefix = f"activity-{activity.pk}-"
    # a bad value keeps what was typed
    bad = admin_client1.post(url, {prefix + "kind": "meeting", prefix + "subject": "", prefix + "notes": "Bring ladders",
                                   prefix + "occurred_at": "2026-11-20T10:00"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "Bring ladders" in bad.content.decode()
    good = admin_client1.post(url, {prefix + "kind": "meeting", prefix + "subject": "Site survey, block B",
                                    prefix + "occurred_at": "2026-11-20T10:00", prefix + "notes": "Bring ladders"},
                              HTTP_HX_REQUEST="true")
    assert good.status_code == 200 and good["HX-Retarget"] == "#activities-panel"
    assert 'data-subject="Site survey, block B"' in good.content.decode()
    assert Activity.objects.get().notes == "Bring ladders"


def test_an_activity_of_another_customer_cannot_be_edited_through_this_one(admin_client1, admin_user):
    activity = services.activity_log(customer=CustomerFactory(), acting_user=admin_user, fields={
        "kind": "note", "subject": "Private", "occurred_at": timezone.now()})
    other = CustomerFactory()
    assert admin_client1.get(f"/customers/{other.pk}/activities/{activity.pk}/edit/",
                             HTTP_HX_REQUEST="true").status_code == 404
