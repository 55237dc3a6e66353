"""The tickets API with a token, as an integration would use it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from crm.tests.factories import CustomerFactory
from helpdesk.models import Ticket
from helpdesk.tests.factories import make_ticket


def test_an_integration_opens_works_and_reads_a_ticket(admin_client1, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    customer = CustomerFactory(name="Api Customer")
    created = admin_client1.post("/api/v1/tickets/", {"customer": customer.pk, "subject": "Monitoring alert: disk 95%",
                                                      "priority": "high"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["reference"], body["source"], body["priority"], body["sla_state"]) == ("T-000001", "api", "high",
                                                                                         "on_track")
    pk = body["id"]
    patched = admin_client1.patch(f"/api/v1/tickets/{pk}/", {"status": "in_progress", "assignee": admin_user.pk},
                                  content_type="application/json")
    assert (patched.json()["status"], patched.json()["assignee"]) == ("in_progress", admin_user.pk)
    comment = admin_client1.post(f"/api/v1/tickets/{pk}/comments/", {"body": "Cleared old logs"},
                                 content_type="application/json")
    assert comment.status_code == 201 and comment.json()["author_name"] == "Ada Admin"
    upload = admin_client1.post(f"/api/v1/tickets/{pk}/attachments/",
                                {"file": SimpleUploadedFile("df.txt", b"/dev/sda1 95%", "text/plain")})
    assert upload.status_code == 201 and upload.json()["download_url"] == f"/tickets/{pk}/attachments/{upload.json()['id']}/"
    listed = admin_client1.get("/api/v1/tickets/", {"q": "T-000001"}).json()
    assert listed["count"] == 1 and listed["results"][0]["first_responded_at"] is not None


def test_bad_requests_get_the_reason(admin_client1, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    missing = admin_client1.post("/api/v1/tickets/", {"subject": "No customer"}, content_type="application/json")
    assert missing.status_code == 400 and missing.json() == {"detail": "customer and subject are required."}
    ticket = make_ticket()
    refused = admin_client1.post(f"/api/v1/tickets/{ticket.pk}/attachments/",
                                 {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert refused.status_code == 400 and refused.json()["detail"].startswith("x.exe: files of this type")
    assert Ticket.objects.count() == 1


def test_read_only_tokens_cannot_change_tickets(tenant1, client_for, make_user):
    ticket = make_ticket()
    viewer = client_for(make_user(role="Read-only"))
    assert viewer.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    assert viewer.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "closed"},
                        content_type="application/json").status_code == 403


def test_only_managers_change_sla_policies_through_the_api(tenant1, client_for, make_user):
    from helpdesk.models import SlaPolicy

    policy = SlaPolicy.objects.get(is_default=True)
    agent = client_for(make_user(role="Support agent"))
    assert agent.patch(f"/api/v1/sla-policies/{policy.pk}/", {"at_risk_percent": 70},
                       content_type="application/json").status_code == 403
    manager = client_for(make_user(role="Manager"))
    response = manager.patch(f"/api/v1/sla-policies/{policy.pk}/", {"at_risk_percent": 70},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["at_risk_percent"] == 70
