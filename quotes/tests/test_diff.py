"""Comparing versions of a quote: sent revisions against each other and against the draft being edited."""

from decimal import Decimal as D

from crm.tests.factories import CustomerFactory
from quotes.diff import snapshot_diff
from quotes.services import quotes as services
from tests.html_validity import assert_valid_html


def _sent_then_revised(user):
    """R1 sent with three lines, then R2 started: the working lines are the same rows as R1's."""
    quote = services.quote_create(customer=CustomerFactory(name="Oakfield School"), acting_user=user, title="Hall Wi-Fi")
    lines = [services.line_add(quote=quote, acting_user=user, fields=fields) for fields in (
        {"description": "Access point", "part_number": "U6-PRO", "quantity": D("4"), "unit_price": D("250.00"),
         "unit_cost": D("180.00")},
        {"description": "Patch lead 1 m", "quantity": D("10"), "unit_price": D("3.50"), "unit_cost": D("1.20")},
        {"description": "Site survey", "quantity": D("1"), "unit_price": D("400.00"), "unit_cost": D("200.00")},
    )]
    services.quote_send(quote=quote, acting_user=user)
    quote.refresh_from_db()
    services.quote_revise(quote=quote, acting_user=user)
    return quote, lines


def test_the_diff_names_added_removed_changed_and_moved_lines_and_the_change_in_totals(admin_user):
    # given R1 = 4 x 250 + 10 x 3.50 + 400 = 1,435.00 net
    quote, (access_point, patch_lead, survey) = _sent_then_revised(admin_user)
    r1 = quote.revisions.get(number=1).snapshot
    # when R2 sells 6 access points, drops the patch leads, adds cabling and puts the survey first
    services.line_update(line=access_point, acting_user=admin_user, changes={"quantity": D("6")})
    services.line_delete(line=patch_lead, acting_user=admin_user)
    cabling = services.line_add(quote=quote, acting_user=admin_user,
                                fields={"description": "Cat6a run", "quantity": D("6"), "unit_price": D("85.00")})
    services.line_move(quote=quote, acting_user=admin_user, ordered_ids=[survey.pk, access_point.pk, cabling.pk])
    diff = snapshot_diff(r1, services.quote_snapshot(quote=quote))
    # then
    assert [line["description"] for line in diff.added] == ["Cat6a run"]
    assert [line["description"] for line in diff.removed] == ["Patch lead 1 m"]
    assert [(item.line["description"], [(c.name, c.before, c.after) for c in item.changes]) for item in diff.changed] == [
        ("Access point", [("quantity", "4.000", "6.000"), ("net", "1000.00", "1500.00")])]
    assert [line["description"] for line in diff.moved] == ["Site survey"]
    assert diff.unchanged_count == 0
    totals = {str(total.label): (total.before, total.after, total.delta) for total in diff.totals}
    # R2 = 6 x 250 + 400 + 6 x 85 = 2,410.00 net; tax 20 %
    assert totals["Net (one-off)"] == (D("1435.00"), D("2410.00"), D("975.00"))
    assert totals["Tax"] == (D("287.00"), D("482.00"), D("195.00"))
    assert totals["Total (one-off)"] == (D("1722.00"), D("2892.00"), D("1170.00"))


def test_identical_versions_have_an_empty_diff(admin_user):
    quote, _lines = _sent_then_revised(admin_user)
    diff = snapshot_diff(quote.revisions.get(number=1).snapshot, services.quote_snapshot(quote=quote))
    assert diff.is_empty and diff.unchanged_count == 3


def test_the_compare_page_defaults_to_the_last_revision_against_the_draft(admin_client1, admin_user, assert_queries):
    # given
    quote, (access_point, _patch_lead, _survey) = _sent_then_revised(admin_user)
    services.line_update(line=access_point, acting_user=admin_user, changes={"unit_price": D("240.00")})
    admin_client1.get(f"/quotes/{quote.pk}/compare/")
    # when
    with assert_queries(8):  # domain, user, groups, quote, revisions; the draft snapshot (lines, addresses); unread count
        response = admin_client1.get(f"/quotes/{quote.pk}/compare/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "R1 sent" in html and "R2 draft (being edited)" in html
    assert "0 added, 0 removed, 1 changed, 0 moved, 2 unchanged." in html
    assert "<del>250.00</del>" in html and "<ins>240.00</ins>" in html
    assert "-40.00" in html  # net 1,435.00 -> 1,395.00
    assert_valid_html(html)


def test_two_sent_revisions_compare_and_an_unknown_version_is_404(admin_client1, admin_user):
    # given R2 sent with a new title
    quote, _lines = _sent_then_revised(admin_user)
    services.quote_update(quote=quote, acting_user=admin_user, changes={"title": "Hall and library Wi-Fi"})
    services.quote_send(quote=quote, acting_user=admin_user)
    # when
    html = admin_client1.get(f"/quotes/{quote.pk}/compare/", {"from": "1", "to": "2"}).content.decode()
    # then
    assert "<del>Hall Wi-Fi</del>" in html and "<ins>Hall and library Wi-Fi</ins>" in html
    assert admin_client1.get(f"/quotes/{quote.pk}/compare/", {"from": "1", "to": "draft"}).status_code == 404
    assert admin_client1.get(f"/quotes/{quote.pk}/compare/", {"from": "1", "to": "9"}).status_code == 404
    builder = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert f'href="/quotes/{quote.pk}/compare/"' in builder


def test_a_quote_never_sent_has_nothing_to_compare(admin_client1, admin_user):
    quote = services.quote_create(customer=CustomerFactory(), acting_user=admin_user, title="Draft only")
    html = admin_client1.get(f"/quotes/{quote.pk}/compare/").content.decode()
    assert "There is nothing to compare yet" in html
