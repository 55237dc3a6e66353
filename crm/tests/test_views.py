import csv
import io
import re

from core.models import Event
from crm.models import Customer, CustomerStatus
from crm.services import customers as services
from crm.tests.factories import CustomerFactory, SectorFactory, TagFactory


def _names(response):
    return re.findall(r'data-testid="customer-row" data-name="([^"]+)"', response.content.decode())


def test_the_list_searches_filters_and_sorts(admin_client1, admin_user):
    schools = TagFactory(name="schools")
    CustomerFactory(name="Beta Cabling Ltd", status=CustomerStatus.PROSPECT, lead_score=10)
    alpha = CustomerFactory(name="Alpha Networks", status=CustomerStatus.CUSTOMER, lead_score=90, owner=admin_user)
    alpha.tags.add(schools)
    CustomerFactory(name="Gamma Telecom", phone="0121 555 0100", is_competitor=True)
    assert _names(admin_client1.get("/customers/")) == ["Alpha Networks", "Beta Cabling Ltd", "Gamma Telecom"]
    assert _names(admin_client1.get("/customers/", {"q": "0121 555"})) == ["Gamma Telecom"]
    assert _names(admin_client1.get("/customers/", {"q": "beta cabling limited"})) == ["Beta Cabling Ltd"]
    filtered = admin_client1.get("/customers/", {"status": "prospect"})
    assert _names(filtered) == ["Beta Cabling Ltd"]
    assert '<option value="prospect" selected>Prospect</option>' in filtered.content.decode()
    assert _names(admin_client1.get("/customers/", {"owner": admin_user.pk})) == ["Alpha Networks"]
    assert _names(admin_client1.get("/customers/", {"competitor": "yes"})) == ["Gamma Telecom"]
    assert _names(admin_client1.get("/customers/", {"tag": schools.pk})) == ["Alpha Networks"]
    assert _names(admin_client1.get("/customers/", {"sort": "-score"})) == ["Alpha Networks", "Beta Cabling Ltd", "Gamma Telecom"]
    assert _names(admin_client1.get("/customers/", {"sort": "score"})) == ["Gamma Telecom", "Beta Cabling Ltd", "Alpha Networks"]


def test_the_htmx_search_returns_only_the_table(admin_client1):
    CustomerFactory(name="Alpha Networks")
    response = admin_client1.get("/customers/", {"q": "alpha"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-table")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="customer-table">')
    assert "<html" not in html and 'id="customer-filters"' not in html and 'id="sidebar"' not in html
    assert _names(response) == ["Alpha Networks"]


def test_archived_customers_leave_the_list_but_stay_findable(admin_client1, admin_user):
    customer = CustomerFactory(name="Old Co Ltd")
    services.customer_archive(customer=customer, acting_user=admin_user)
    assert _names(admin_client1.get("/customers/")) == []
    assert _names(admin_client1.get("/customers/", {"archived": "on"})) == ["Old Co Ltd"]


def test_list_query_count_does_not_grow_with_rows(admin_client1, assert_queries):
    sector = SectorFactory()
    tag = TagFactory()
    for index in range(30):
        CustomerFactory(name=f"Company {index:02d}", sector=sector).tags.add(tag)
    with assert_queries(10):  # the tags come with the rows (an array per customer), not in a second query
        response = admin_client1.get("/customers/")
    assert len(_names(response)) == 25


def test_creating_warns_about_a_duplicate_then_lets_the_user_go_on(admin_client1):
    existing = CustomerFactory(name="Acme Networks Ltd")
    data = {"name": "ACME Networks Limited", "status": "lead", "lead_score": "20", "lifecycle_automation": "on",
            "website": "", "new_tags": "schools, fibre"}
    # when
    response = admin_client1.post("/customers/new/", data)
    # then a warning links to the existing record and nothing is created; what was typed is kept
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="duplicate-warning"' in html and f'href="/customers/{existing.pk}/"' in html
    assert 'value="ACME Networks Limited"' in html and 'name="confirm_duplicate" value="on"' in html
    assert Customer.objects.count() == 1
    # when the user saves again
    response = admin_client1.post("/customers/new/", {**data, "confirm_duplicate": "on"})
    created = Customer.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/customers/{created.pk}/"
    assert sorted(created.tags.values_list("name", flat=True)) == ["fibre", "schools"]


def test_bad_input_keeps_everything_typed(admin_client1):
    response = admin_client1.post("/customers/new/", {"name": "Keep Me Ltd", "status": "lead", "lead_score": "150",
                                                      "email": "not-an-email", "known_facts": "Long notes"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 100." in html and "Enter a valid email address." in html
    assert 'value="Keep Me Ltd"' in html and "Long notes" in html


def test_status_menu_changes_the_status_through_htmx(admin_client1):
    customer = CustomerFactory()
    response = admin_client1.post(f"/customers/{customer.pk}/status/", {"status": "prospect"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="customer-header"')
    assert "Status: <strong>Prospect</strong>" in " ".join(html.split())
    assert "Status changed to Prospect." in html
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.PROSPECT


def test_export_streams_the_filtered_list(admin_client1):
    CustomerFactory(name="Alpha Networks", status=CustomerStatus.CUSTOMER, email="hi@alpha.example")
    CustomerFactory(name="Beta Cabling", status=CustomerStatus.LEAD)
    response = admin_client1.get("/customers/export.csv", {"status": "customer"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["name", "status", "sector"]
    assert [row[:2] + [row[5]] for row in rows[1:]] == [["Alpha Networks", "Customer", "hi@alpha.example"]]


def test_export_neutralises_spreadsheet_formulas(admin_client1):
    CustomerFactory(name='=HYPERLINK("http://evil.example","Click")', phone="+44 121 000")
    rows = list(csv.reader(io.StringIO(b"".join(admin_client1.get("/customers/export.csv").streaming_content).decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","Click")' and rows[1][6] == "'+44 121 000"


def test_bulk_status_change(admin_client1):
    first, second = CustomerFactory(), CustomerFactory()
    response = admin_client1.post("/customers/bulk/", {"action": "status", "status": "cold_lead", "ids": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(Customer.objects.values_list("status", flat=True)) == {"cold_lead"}
    assert Event.objects.filter(kind="crm.customer_status_changed").count() == 2


def test_the_customer_page_and_its_timeline_pages(admin_client1, admin_user, assert_queries):
    customer = CustomerFactory(name="Timeline Co")
    for index in range(30):
        services.customer_update(customer=customer, acting_user=admin_user, changes={"lead_score": index + 1})
    with assert_queries(9):
        page = admin_client1.get(f"/customers/{customer.pk}/")
    html = page.content.decode()
    assert html.count('data-testid="timeline-event"') == 25 and 'data-testid="timeline-more"' in html
    assert 'ws-connect="/ws/customers/%d/"' % customer.pk in html
    last_shown = re.findall(r'id="event-(\d+)"', html)[-1]
    with assert_queries(6):  # permission sets cached; a fragment: no unread count, and no tags of the customer
        older = admin_client1.get(f"/customers/{customer.pk}/timeline/", {"before": last_shown}).content.decode()
    assert older.count('data-testid="timeline-event"') == 5 and "timeline-more" not in older
    status_only = admin_client1.get(f"/customers/{customer.pk}/timeline/", {"kind": "crm.customer_status"}).content.decode()
    assert "Nothing here yet." in status_only


def test_read_only_users_see_no_change_controls(tenant1, make_user, client_for):
    customer = CustomerFactory()
    viewer = make_user(role="Read-only")
    html = client_for(viewer).get(f"/customers/{customer.pk}/").content.decode()
    assert 'data-testid="status-menu"' not in html and "/edit/" not in html and "Archive" not in html


def test_admins_extend_the_sector_list(admin_client1):
    from crm.models import Sector
    from tests.html_validity import assert_valid_html

    page = admin_client1.get("/customers/sectors/")
    assert_valid_html(page.content.decode())
    assert page.content.decode().count('data-testid="sector"') == Sector.objects.count()
    assert admin_client1.post("/customers/sectors/", {"name": "Marinas"}).status_code == 302
    duplicate = admin_client1.post("/customers/sectors/", {"name": "marinas"})
    assert duplicate.status_code == 422 and "“marinas” is already in the list." in duplicate.content.decode()
    assert Event.objects.get(kind="crm.sector_created").data == {"name": "Marinas"}
