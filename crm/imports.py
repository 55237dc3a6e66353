"""Customer import: what a spreadsheet of companies (with an optional first contact and address) may hold, how a
row is checked, and how it is written through the CRM services. The engine in core/imports does the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.imports.registry import ImportField, Importer, RowCheck, importer_register
from core.models import DuplicateMode, ImportStatus
from crm import permissions
from crm.forms import AddressForm
from crm.models import AddressKind, ContactRole, Customer, CustomerStatus, Sector, SizeBand, Tag
from crm.normalise import normalise_company_name, normalise_registration_number, website_domain
from crm.services import addresses as address_services
from crm.services import contacts as contact_services
from crm.services import customers as customer_services

F = ImportField
CUSTOMER_TEXT_FIELDS = ("website", "email", "phone", "registration_number", "known_facts")
CONTACT_FIELDS = ("contact_first_name", "contact_last_name", "contact_name", "contact_job_title", "contact_role",
                  "contact_email", "contact_phone")
ADDRESS_FIELDS = ("address_line1", "address_line2", "address_town", "address_county", "address_postcode",
                  "address_country")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "competitor"}
FALSE_WORDS = {"", "no", "n", "false", "0"}


def _choices_lookup(choices) -> dict[str, str]:
    """Value and label, case and punctuation ignored: "Cold lead", "cold_lead" and "COLD-LEAD" all match."""
    lookup = {}
    for value, label in choices:
        for spelling in (value, str(label)):
            lookup[re.sub(r"[^a-z0-9]+", "", spelling.lower())] = value
    return lookup


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


SIZE_BY_WORD = {**_choices_lookup(SizeBand.choices), "19": SizeBand.MICRO, "1049": SizeBand.SMALL,
                "50249": SizeBand.MEDIUM, "250": SizeBand.LARGE}


def _size_band(text: str) -> str | None:
    key = _key(text)
    if key in SIZE_BY_WORD:
        return SIZE_BY_WORD[key]
    if text.strip().isdigit():  # a head count
        count = int(text)
        return (SizeBand.MICRO if count < 10 else SizeBand.SMALL if count < 50
                else SizeBand.MEDIUM if count < 250 else SizeBand.LARGE)
    return None


@dataclass
class CustomerIndex:
    """Every customer's duplicate keys in memory, so checking 10,000 rows costs no query per row."""

    by_name: dict[str, list[int]] = field(default_factory=dict)
    by_domain: dict[str, list[int]] = field(default_factory=dict)
    by_registration: dict[str, list[int]] = field(default_factory=dict)
    names: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id -> (name, archived)
    rows: dict[int, int] = field(default_factory=dict)  # negative ids: rows of this file not yet created (dry run)

    def add(self, key_id: int, *, name: str, domain: str, registration: str, archived: bool = False) -> None:
        self.names[key_id] = (name, archived)
        for table, key in ((self.by_name, normalise_company_name(name)), (self.by_domain, domain),
                           (self.by_registration, registration)):
            if key:
                table.setdefault(key, []).append(key_id)

    def matches(self, *, name: str, domain: str, registration: str) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for table, key, reason in ((self.by_name, normalise_company_name(name), _("name")),
                                   (self.by_domain, domain, _("website")),
                                   (self.by_registration, registration, _("registration number"))):
            for key_id in table.get(key, []) if key else []:
                found.setdefault(key_id, []).append(reason)
        return found


@dataclass
class CustomerImportContext:
    index: CustomerIndex
    sectors: dict[str, Sector]
    owners: dict[str, User]
    tags: dict[str, Tag]
    dry_run: bool  # rows "created" by a dry run stand in for customers not yet in the database
    dry_run_row_ids: int = 0


class CustomerImporter(Importer):
    kind = "customers"
    url_name = "crm:customer_import"
    label = gettext_lazy("customers")
    permission = permissions.IMPORT_CUSTOMERS
    max_rows = 50_000
    fields = (
        F("name", gettext_lazy("Company name"), required=True,
          aliases=("company", "customer", "customer name", "account", "account name", "organisation", "organization",
                   "business", "business name", "name")),
        F("status", gettext_lazy("Status"), aliases=("customer status", "stage"),
          help=gettext_lazy("Lead, Prospect, Customer, Cold lead, Inactive or Lost; empty means Lead")),
        F("sector", gettext_lazy("Business sector"), aliases=("sector", "industry"),
          help=gettext_lazy("a sector from your reference list")),
        F("size_band", gettext_lazy("Size"), aliases=("size band", "company size", "employees", "headcount"),
          help=gettext_lazy("micro, small, medium, large, or a head count")),
        F("website", gettext_lazy("Website"), aliases=("web", "url", "web site", "domain")),
        F("email", gettext_lazy("Main email"), aliases=("email", "e-mail", "company email")),
        F("phone", gettext_lazy("Main phone"), aliases=("phone", "telephone", "tel", "phone number", "main telephone")),
        F("registration_number", gettext_lazy("Company registration number"),
          aliases=("registration number", "company number", "crn", "companies house number", "reg no", "company reg")),
        F("owner", gettext_lazy("Account owner"), aliases=("owner", "account manager", "sales rep"),
          help=gettext_lazy("the email or full name of one of your users")),
        F("is_competitor", gettext_lazy("Competitor"), aliases=("competitor", "is competitor"),
          help=gettext_lazy("yes or no")),
        F("lead_score", gettext_lazy("Lead score"), aliases=("score",), help=gettext_lazy("0 to 100")),
        F("tags", gettext_lazy("Tags"), aliases=("tag", "labels"), help=gettext_lazy("separated by commas; new tags are created")),
        F("known_facts", gettext_lazy("Known facts"), aliases=("notes", "note", "description", "comments")),
        F("contact_first_name", gettext_lazy("Contact first name"), aliases=("first name", "forename")),
        F("contact_last_name", gettext_lazy("Contact last name"), aliases=("last name", "surname")),
        F("contact_name", gettext_lazy("Contact full name"), aliases=("contact", "contact name", "full name"),
          help=gettext_lazy("used when there are no separate first and last name columns")),
        F("contact_job_title", gettext_lazy("Contact job title"), aliases=("job title", "title", "position")),
        F("contact_role", gettext_lazy("Contact role"), aliases=("role",),
          help=gettext_lazy("decision maker, influencer, technical, billing, user or other")),
        F("contact_email", gettext_lazy("Contact email"), aliases=("contact e-mail",)),
        F("contact_phone", gettext_lazy("Contact phone"), aliases=("contact telephone", "mobile", "direct line")),
        F("address_line1", gettext_lazy("Address line 1"), aliases=("address", "address 1", "street")),
        F("address_line2", gettext_lazy("Address line 2"), aliases=("address 2",)),
        F("address_town", gettext_lazy("Town"), aliases=("town", "city", "town or city")),
        F("address_county", gettext_lazy("County"), aliases=("county", "region")),
        F("address_postcode", gettext_lazy("Postcode"), aliases=("postcode", "post code", "zip", "postal code")),
        F("address_country", gettext_lazy("Country"), aliases=("country",), help=gettext_lazy("empty means United Kingdom")),
    )
    template_rows = (
        ("Northgate Academy Trust", "Prospect", "Education", "medium", "https://northgate.example.org", "office@northgate.example.org",
         "0121 496 0000", "08123456", "", "no", "60", "schools, wifi", "Three sites, Wi-Fi refresh due 2027",
         "Priya", "Shah", "", "IT Manager", "decision maker", "p.shah@northgate.example.org", "07700 900123",
         "1 School Lane", "", "Birmingham", "West Midlands", "B15 2TT", "United Kingdom"),
    )

    def back_url(self) -> str:
        return reverse("crm:customer_list")

    # ------------------------------------------------------------------------------------------ preparing

    def prepare(self, *, job) -> CustomerImportContext:
        index = CustomerIndex()
        for row in Customer.objects.values_list("id", "name", "website_domain", "normalised_registration", "archived_at"):
            index.add(row[0], name=row[1], domain=row[2], registration=row[3], archived=row[4] is not None)
        owners: dict[str, User] = {}
        for user in User.objects.filter(is_active=True):
            owners[user.email.lower()] = user
            owners.setdefault(_key(user.full_name), user)
        return CustomerImportContext(
            index=index,
            sectors={sector.name.lower(): sector for sector in Sector.objects.all()},
            owners=owners,
            tags={tag.name.lower(): tag for tag in Tag.objects.all()},
            dry_run=job.status != ImportStatus.APPLYING,
        )

    # ------------------------------------------------------------------------------------------- checking

    def check_row(self, *, row: int, values: dict[str, str], context: CustomerImportContext,
                  duplicate_mode: str) -> RowCheck:
        check = RowCheck(row=row)
        data = check.data
        errors = check.errors
        data["name"] = values.get("name", "").strip()
        if not data["name"]:
            errors.append(_("Company name is empty."))
        self._check_choices(values, data, errors)
        self._check_lookups(values, data, errors, context)
        for name in CUSTOMER_TEXT_FIELDS:
            if name in values:
                data[name] = values[name].strip()
        if data["name"]:
            self._check_model(data, errors)
        self._check_contact(values, data, errors)
        self._check_address(values, data, errors)
        if not errors:
            self._check_duplicates(check, context, duplicate_mode)
        return check

    def _check_choices(self, values, data, errors) -> None:
        if values.get("status", "").strip():
            status = _choices_lookup(CustomerStatus.choices).get(_key(values["status"]))
            if status is None:
                errors.append(_("Status “%(value)s” is not one of: %(choices)s.")
                              % {"value": values["status"], "choices": ", ".join(str(label) for _v, label in CustomerStatus.choices)})
            data["status"] = status
        if values.get("size_band", "").strip():
            band = _size_band(values["size_band"])
            if band is None:
                errors.append(_("Size “%(value)s” is not micro, small, medium, large or a head count.") % {"value": values["size_band"]})
            data["size_band"] = band
        if "is_competitor" in values:
            word = values["is_competitor"].strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                errors.append(_("Competitor “%(value)s” should be yes or no.") % {"value": values["is_competitor"]})
            data["is_competitor"] = word in TRUE_WORDS
        if values.get("lead_score", "").strip():
            text = values["lead_score"].strip()
            if not text.isdigit() or int(text) > 100:
                errors.append(_("Lead score “%(value)s” should be a whole number from 0 to 100.") % {"value": text})
            else:
                data["lead_score"] = int(text)
        if values.get("contact_role", "").strip():
            role = _choices_lookup(ContactRole.choices).get(_key(values["contact_role"]))
            if role is None:
                errors.append(_("Contact role “%(value)s” is not one of: %(choices)s.")
                              % {"value": values["contact_role"], "choices": ", ".join(str(label) for _v, label in ContactRole.choices)})
            data["contact_role"] = role

    def _check_lookups(self, values, data, errors, context: CustomerImportContext) -> None:
        if values.get("sector", "").strip():
            sector = context.sectors.get(values["sector"].strip().lower())
            if sector is None:
                errors.append(_("Business sector “%(value)s” is not in your list: add it under Customers › Sectors, "
                                "or correct the spelling.") % {"value": values["sector"]})
            data["sector"] = sector
        if values.get("owner", "").strip():
            text = values["owner"].strip()
            owner = context.owners.get(text.lower()) or context.owners.get(_key(text))
            if owner is None:
                errors.append(_("Account owner “%(value)s” is not an active user (use their email address).") % {"value": text})
            data["owner"] = owner
        if "tags" in values:
            data["tag_names"] = [name.strip()[:50] for name in re.split(r"[,;]", values["tags"]) if name.strip()]

    def _check_model(self, data, errors) -> None:
        """The model's own validators (lengths, email, lead score), without touching the database."""
        customer = Customer(name=data["name"], **{name: data[name] for name in (*CUSTOMER_TEXT_FIELDS, "lead_score")
                                                  if data.get(name) not in (None, "")})
        try:
            customer.full_clean(exclude=["normalised_name", "website_domain", "normalised_registration", "owner",
                                         "sector", "status", "size_band"], validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                label = Customer._meta.get_field(name).verbose_name if name != "__all__" else ""
                errors.extend(f"{str(label).capitalize()}: {message}" if label else message for message in messages)

    def _check_contact(self, values, data, errors) -> None:
        first = values.get("contact_first_name", "").strip()
        last = values.get("contact_last_name", "").strip()
        if not (first or last) and values.get("contact_name", "").strip():
            first, _space, last = values["contact_name"].strip().partition(" ")
        email = values.get("contact_email", "").strip()
        phone = values.get("contact_phone", "").strip()
        title = values.get("contact_job_title", "").strip()
        if not (first or last or email or phone or title):
            return
        if not (first or last):
            errors.append(_("The contact has no name (give a first or last name, or leave the contact columns empty)."))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Contact email “%(value)s” is not a valid email address.") % {"value": email})
        for label, text, limit in ((_("Contact first name"), first, 80), (_("Contact last name"), last, 80),
                                   (_("Contact job title"), title, 120), (_("Contact phone"), phone, 40)):
            if len(text) > limit:
                errors.append(_("%(field)s is longer than %(limit)d characters.") % {"field": label, "limit": limit})
        data["contact"] = {"first_name": first, "last_name": last, "job_title": title,
                           "role": data.pop("contact_role", None) or ContactRole.OTHER, "email": email, "phone": phone}

    def _check_address(self, values, data, errors) -> None:
        address = {name.removeprefix("address_"): values.get(name, "").strip() for name in ADDRESS_FIELDS}
        if not any(address.values()):
            return
        form = AddressForm(data={"kind": AddressKind.PRIMARY, "line1": address["line1"], "line2": address["line2"],
                                 "town": address["town"], "county": address["county"], "postcode": address["postcode"],
                                 "country": address["country"] or "United Kingdom"})
        if form.is_valid():
            data["address"] = {key: form.cleaned_data[key] for key in
                               ("kind", "line1", "line2", "town", "county", "postcode", "country")}
            return
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else _("Address")
            errors.extend(f"{label}: {message}" for message in messages)

    def _check_duplicates(self, check: RowCheck, context: CustomerImportContext, duplicate_mode: str) -> None:
        data = check.data
        domain = website_domain(data.get("website", ""))
        registration = normalise_registration_number(data.get("registration_number", ""))
        found = context.index.matches(name=data["name"], domain=domain, registration=registration)
        existing = {key_id: reasons for key_id, reasons in found.items() if key_id > 0}
        earlier_rows = sorted(context.index.rows[key_id] for key_id in found if key_id < 0)
        check.matches = [{"id": key_id, "name": context.index.names[key_id][0], "reasons": reasons,
                          "url": reverse("crm:customer_detail", args=[key_id])} for key_id, reasons in existing.items()]
        if earlier_rows:
            check.note = _("Same company as row %(rows)s of this file.") % {"rows": ", ".join(map(str, earlier_rows))}
        if not found:
            check.action = "create"
        elif duplicate_mode == DuplicateMode.SKIP:
            check.action = "skip"
        elif duplicate_mode == DuplicateMode.CREATE:
            check.action = "create"
        elif len(found) > 1:
            check.errors.append(_("It matches %(count)d records (%(names)s): merge them first, or choose to skip or "
                                  "create duplicates.") % {"count": len(found),
                                                          "names": ", ".join(context.index.names[k][0] for k in found)})
        else:
            (target_id,) = found
            name, archived = context.index.names[target_id]
            if archived:
                check.errors.append(_("It matches %(name)s, which is archived: restore it first, or choose to skip "
                                      "or create duplicates.") % {"name": name})
            check.action = "update"
            check.target = target_id
        if check.action == "create" and not check.errors and context.dry_run:
            # Remember the row so later rows of the same file are seen as its duplicates during a dry run.
            context.dry_run_row_ids -= 1
            context.index.rows[context.dry_run_row_ids] = check.row
            context.index.add(context.dry_run_row_ids, name=data["name"], domain=domain, registration=registration)

    # -------------------------------------------------------------------------------------------- applying

    def apply_row(self, *, check: RowCheck, context: CustomerImportContext, acting_user) -> str:
        if check.action == "skip":
            return "skip"
        data = check.data
        tags = [self._tag(name, context) for name in data.get("tag_names", [])]
        fields = {name: data[name] for name in (*CUSTOMER_TEXT_FIELDS, "sector", "size_band", "lead_score", "is_competitor")
                  if data.get(name) not in (None, "")}
        if check.action == "create":
            customer = customer_services.customer_create(
                acting_user=acting_user, name=data["name"], status=data.get("status") or CustomerStatus.LEAD,
                owner=data.get("owner"), tags=tags, **fields)
        else:
            customer = Customer.objects.get(pk=check.target)
            customer_services.customer_update(customer=customer, acting_user=acting_user, changes=fields,
                                              tags=(set(customer.tags.all()) | set(tags)) if tags else None)
            if data.get("status") and data["status"] != customer.status:
                customer_services.customer_status_change(customer=customer, status=data["status"],
                                                         acting_user=acting_user, reason=_("import"))
            if data.get("owner") and data["owner"] != customer.owner:
                customer_services.customer_owner_change(customer=customer, owner=data["owner"], acting_user=acting_user)
        self._apply_contact(customer, data.get("contact"), acting_user, is_new=check.action == "create")
        self._apply_address(customer, data.get("address"), acting_user, is_new=check.action == "create")
        if check.action == "create":
            # The rows of this file created so far count as existing for the rows after them.
            context.index.add(customer.pk, name=customer.name, domain=customer.website_domain,
                              registration=customer.normalised_registration)
        return check.action

    def _tag(self, name: str, context: CustomerImportContext) -> Tag:
        tag = context.tags.get(name.lower())
        if tag is None:
            tag = context.tags[name.lower()] = customer_services.tag_get_or_create(name=name)
        return tag

    def _apply_contact(self, customer: Customer, contact: dict | None, acting_user, *, is_new: bool) -> None:
        if not contact:
            return
        if not is_new:
            same_email = contact["email"] and customer.contacts.filter(emails__address__iexact=contact["email"]).exists()
            same_name = customer.contacts.filter(first_name__iexact=contact["first_name"],
                                                 last_name__iexact=contact["last_name"]).exists()
            if same_email or same_name:
                return
        contact_services.contact_create(
            customer=customer, acting_user=acting_user,
            fields={"first_name": contact["first_name"], "last_name": contact["last_name"],
                    "job_title": contact["job_title"], "role": contact["role"]},
            emails=[{"address": contact["email"], "kind": "work", "is_primary": True}] if contact["email"] else [],
            phones=[{"number": contact["phone"], "kind": "office", "is_primary": True}] if contact["phone"] else [],
            make_primary=is_new)

    def _apply_address(self, customer: Customer, address: dict | None, acting_user, *, is_new: bool) -> None:
        if not address:
            return
        if not is_new and customer.addresses.filter(line1__iexact=address["line1"],
                                                    postcode__iexact=address["postcode"]).exists():
            return
        address_services.address_create(customer=customer, acting_user=acting_user, fields=address, make_default=is_new)


customer_importer = importer_register(CustomerImporter())
