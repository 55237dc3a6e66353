import pytest

from core.models import Event
from crm.errors import CrmError
from crm.models import Address
from crm.normalise import normalise_uk_postcode
from crm.services import addresses as services
from crm.tests.factories import CustomerFactory
from tests.html_validity import assert_valid_html

HIGH_ST = {"kind": "primary", "line1": "1 High St", "town": "Dudley", "postcode": "DY1 1AA"}


@pytest.mark.parametrize("raw, expected", [
    ("b152tt", "B15 2TT"), (" B15  2TT ", "B15 2TT"), ("sw1a1aa", "SW1A 1AA"), ("ec1a 1bb", "EC1A 1BB"),
    ("GIR0AA", "GIR 0AA"), ("B15", None), ("12345", None), ("BB1 1CI", None),
])
def test_uk_postcodes_are_validated_and_normalised(raw, expected):
    assert normalise_uk_postcode(raw) == expected


def test_one_default_per_type_and_a_successor_when_it_goes(admin_user):
    customer = CustomerFactory()
    first = services.address_create(customer=customer, acting_user=admin_user, fields=HIGH_ST)
    second = services.address_create(customer=customer, acting_user=admin_user, fields={**HIGH_ST, "line1": "2 High St"})
    site = services.address_create(customer=customer, acting_user=admin_user, fields={**HIGH_ST, "kind": "site"})
    assert [(a.pk, a.is_default) for a in customer.addresses.order_by("id")] == [(first.pk, True), (second.pk, False), (site.pk, True)]
    services.address_update(address=second, acting_user=admin_user, fields={}, make_default=True)
    assert list(customer.addresses.filter(is_default=True).order_by("id").values_list("pk", flat=True)) == [second.pk, site.pk]
    services.address_remove(address=Address.objects.get(pk=second.pk), acting_user=admin_user)
    assert Address.objects.get(pk=first.pk).is_default is True


def test_reordering_persists_and_refuses_foreign_or_stale_ids(admin_user):
    customer, other = CustomerFactory(), CustomerFactory()
    a, b, c = (services.address_create(customer=customer, acting_user=admin_user, fields={**HIGH_ST, "line1": f"{n} High St"})
               for n in (1, 2, 3))
    foreign = services.address_create(customer=other, acting_user=admin_user, fields=HIGH_ST)
    services.address_reorder(customer=customer, acting_user=admin_user, ordered_ids=[c.pk, a.pk, b.pk])
    assert list(customer.addresses.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    with pytest.raises(CrmError):
        services.address_reorder(customer=customer, acting_user=admin_user, ordered_ids=[c.pk, a.pk, foreign.pk])
    with pytest.raises(CrmError):
        services.address_reorder(customer=customer, acting_user=admin_user, ordered_ids=[c.pk, a.pk])
    assert Event.objects.filter(kind="crm.addresses_reordered", customer_id=customer.pk).count() == 1


def test_adding_in_place_normalises_the_postcode_and_keeps_bad_input(admin_client1):
    customer = CustomerFactory()
    form = admin_client1.get(f"/customers/{customer.pk}/addresses/new/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(form, fragment=True)
    bad = admin_client1.post(f"/customers/{customer.pk}/addresses/new/",
                             {"kind": "site", "label": "Depot", "line1": "2 Canal St", "town": "Tipton",
                              "postcode": "XYZ", "country": "UK"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    assert "“XYZ” is not a valid UK postcode (for example B15 2TT)." in bad.content.decode()
    assert 'value="2 Canal St"' in bad.content.decode()
    good = admin_client1.post(f"/customers/{customer.pk}/addresses/new/",
                              {"kind": "site", "label": "Depot", "line1": "2 Canal St", "town": "Tipton",
                               "postcode": "dy47aa", "country": "uk"}, HTTP_HX_REQUEST="true")
    html = good.content.decode()
    assert good.status_code == 200 and 'data-testid="address-card" data-label="Depot"' in html
    assert_valid_html(html, fragment=True)
    address = Address.objects.get()
    assert (address.postcode, address.country, address.is_default) == ("DY4 7AA", "United Kingdom", True)


def test_other_countries_keep_their_own_postcodes(admin_client1):
    customer = CustomerFactory()
    admin_client1.post(f"/customers/{customer.pk}/addresses/new/",
                       {"kind": "primary", "line1": "5 Rue de la Paix", "town": "Paris", "postcode": "75002",
                        "country": "France"}, HTTP_HX_REQUEST="true")
    assert Address.objects.get().postcode == "75002"


def test_the_reorder_endpoint(admin_client1, admin_user):
    customer = CustomerFactory()
    a, b = (services.address_create(customer=customer, acting_user=admin_user, fields={**HIGH_ST, "label": name})
            for name in ("A", "B"))
    response = admin_client1.post(f"/customers/{customer.pk}/addresses/order/", {"order": f"{b.pk},{a.pk}"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.index('data-label="B"') < html.index('data-label="A"')
    stale = admin_client1.post(f"/customers/{customer.pk}/addresses/order/", {"order": f"{b.pk}"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "reload the page" in stale.content.decode()
