import re

from core.models import Event
from crm.models import Contact
from crm.services import contacts as services
from crm.tests.factories import CustomerFactory
from tests.html_validity import assert_valid_html


def _formsets(emails=(), phones=()):
    data = {"emails-TOTAL_FORMS": str(len(emails)), "emails-INITIAL_FORMS": "0",
            "phones-TOTAL_FORMS": str(len(phones)), "phones-INITIAL_FORMS": "0"}
    for index, (address, kind, primary) in enumerate(emails):
        data.update({f"emails-{index}-address": address, f"emails-{index}-kind": kind})
        if primary:
            data[f"emails-{index}-is_primary"] = "on"
    for index, (number, kind, primary) in enumerate(phones):
        data.update({f"phones-{index}-number": number, f"phones-{index}-kind": kind})
        if primary:
            data[f"phones-{index}-is_primary"] = "on"
    return data


def test_the_first_contact_is_primary_and_exactly_one_stays_primary(admin_user):
    customer = CustomerFactory()
    first = services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Ann"})
    second = services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Ben"})
    assert (first.is_primary, second.is_primary) == (True, False)
    services.contact_make_primary(contact=second, acting_user=admin_user)
    assert list(customer.contacts.filter(is_primary=True)) == [second]
    services.contact_remove(contact=second, acting_user=admin_user)
    assert list(customer.contacts.filter(is_primary=True).values_list("first_name", flat=True)) == ["Ann"]
    kinds = list(Event.objects.filter(customer_id=customer.pk).order_by("id").values_list("kind", flat=True))
    assert kinds[-4:] == ["crm.contact_added", "crm.contact_added", "crm.contact_primary_changed", "crm.contact_removed"]
    assert Event.objects.filter(kind="crm.contact_removed").get().data == {"name": "Ben", "new_primary": "Ann"}


def test_one_primary_email_and_phone_per_contact(admin_user):
    customer = CustomerFactory()
    contact = services.contact_create(
        customer=customer, acting_user=admin_user, fields={"first_name": "Cat"},
        emails=[{"address": "a@x.example", "kind": "work"}, {"address": "b@x.example", "kind": "personal", "is_primary": True},
                {"address": "c@x.example", "kind": "other", "is_primary": True}],
        phones=[{"number": "0121 1", "kind": "office"}, {"number": "", "kind": "mobile"}])
    assert list(contact.emails.values_list("address", "is_primary").order_by("id")) == [
        ("a@x.example", False), ("b@x.example", True), ("c@x.example", False)]
    assert list(contact.phones.values_list("number", "is_primary")) == [("0121 1", True)]


def test_adding_a_contact_in_place_returns_the_panel(admin_client1):
    customer = CustomerFactory()
    form = admin_client1.get(f"/customers/{customer.pk}/contacts/new/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="contact-form"' in form
    assert_valid_html(form, fragment=True)
    data = {"first_name": "Nia", "last_name": "Jones", "job_title": "IT manager", "role": "technical", "notes": "",
            **_formsets(emails=[("nia@oak.example", "work", True)], phones=[("0121 555 0100", "direct", False)])}
    response = admin_client1.post(f"/customers/{customer.pk}/contacts/new/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="contact-card" data-name="Nia Jones"' in html and 'data-testid="primary-badge"' in html
    assert "mailto:nia@oak.example" in html and "tel:0121 555 0100" in html
    assert "Nia Jones was added." in html  # the toast, out of band
    assert_valid_html(html, fragment=True)


def test_a_bad_contact_form_comes_back_with_everything_typed(admin_client1):
    customer = CustomerFactory()
    data = {"first_name": "", "last_name": "Kept", "role": "billing",
            **_formsets(emails=[("not-an-email", "work", False)])}
    response = admin_client1.post(f"/customers/{customer.pk}/contacts/new/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in html and "Enter a valid email address." in html
    assert 'value="Kept"' in html and 'value="not-an-email"' in html
    assert Contact.objects.count() == 0


def test_editing_replaces_emails_and_phones(admin_client1, admin_user):
    customer = CustomerFactory()
    contact = services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Dee"},
                                      emails=[{"address": "old@x.example", "kind": "work"}])
    edit = admin_client1.get(f"/customers/{customer.pk}/contacts/{contact.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert 'value="old@x.example"' in edit
    data = {"first_name": "Dee", "last_name": "", "role": "other", **_formsets(emails=[("new@x.example", "work", True)])}
    admin_client1.post(f"/customers/{customer.pk}/contacts/{contact.pk}/edit/", data, HTTP_HX_REQUEST="true")
    assert list(contact.emails.values_list("address", flat=True)) == ["new@x.example"]
    assert Event.objects.get(kind="crm.contact_changed").data == {"name": "Dee", "fields": ["emails"]}


def test_a_contact_is_only_reachable_through_its_own_customer(admin_client1, admin_user):
    mine, other = CustomerFactory(), CustomerFactory()
    contact = services.contact_create(customer=other, acting_user=admin_user, fields={"first_name": "Eve"})
    assert admin_client1.post(f"/customers/{mine.pk}/contacts/{contact.pk}/remove/", HTTP_HX_REQUEST="true").status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_customer_list_finds_customers_by_contact(admin_client1, admin_user):
    customer = CustomerFactory(name="Oakfield School")
    CustomerFactory(name="Other Co")
    services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": "Nia", "last_name": "Jones"},
                            emails=[{"address": "nia@oakfield.example", "kind": "work"}],
                            phones=[{"number": "07700 900123", "kind": "mobile"}])
    for term in ("nia jones", "nia@oakfield", "07700 900"):
        names = re.findall(r'data-testid="customer-row" data-name="([^"]+)"', admin_client1.get("/customers/", {"q": term}).content.decode())
        assert names == ["Oakfield School"], term


def test_the_contacts_panel_query_count_is_pinned(admin_client1, admin_user, assert_queries):
    customer = CustomerFactory()
    for index in range(8):
        services.contact_create(customer=customer, acting_user=admin_user, fields={"first_name": f"P{index}"},
                                emails=[{"address": f"p{index}@x.example", "kind": "work"}],
                                phones=[{"number": f"0{index}", "kind": "office"}])
    with assert_queries(9):  # an htmx fragment: no unread-notification count (the shell is not drawn)
        html = admin_client1.get(f"/customers/{customer.pk}/contacts/", HTTP_HX_REQUEST="true").content.decode()
    assert html.count('data-testid="contact-card"') == 8
