import pytest

from crm.normalise import normalise_company_name, normalise_registration_number, website_domain


@pytest.mark.parametrize("name, expected", [
    ("Acme Networks Ltd", "acme networks"),
    ("ACME NETWORKS LIMITED", "acme networks"),
    ("Acme Networks Ltd.", "acme networks"),
    ("The Acme Networks (UK) Ltd", "acme networks"),
    ("Acme-Networks PLC", "acme networks"),
    ("Smith & Sons Ltd", "smith and sons"),
    ("Smith and Sons Group Holdings Limited", "smith and sons"),
    ("Café Réseau SARL", "cafe reseau"),
    ("Limited Edition Cabling Ltd", "limited edition cabling"),
])
def test_company_names_normalise_to_what_tells_them_apart(name, expected):
    assert normalise_company_name(name) == expected


@pytest.mark.parametrize("url, expected", [
    ("https://www.Acme.co.uk/about", "acme.co.uk"), ("acme.co.uk", "acme.co.uk"),
    ("http://shop.acme.co.uk", "shop.acme.co.uk"), ("", ""),
])
def test_website_domains(url, expected):
    assert website_domain(url) == expected


@pytest.mark.parametrize("number, expected", [("1234567", "01234567"), ("sc 123456", "SC123456"), ("", "")])
def test_registration_numbers(number, expected):
    assert normalise_registration_number(number) == expected
