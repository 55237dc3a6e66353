"""The customer table's rows, sort links and filter menus and the pipeline's cards are written in Python
(crm/rows_html.py): these tests pin the markup the pages, htmx and the board's drag-and-drop rely on."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.roles import Role
from crm.models import Customer, CustomerStatus, Opportunity
from crm.tests.factories import CustomerFactory, SectorFactory, TagFactory
from tests.html_validity import assert_valid_html


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="customer-row".*?</tr>', html, flags=re.S)


def test_a_row_escapes_user_text_and_shows_the_competitor_badge_and_tags(tenant1, client_for, make_user):
    # given a customer whose name, tags, sector and owner are all hostile text, last updated on a summer evening
    owner = make_user(first_name="Bob \"the\" <b>", last_name="O'Brien", timezone="Europe/London")
    customer = CustomerFactory(name='<script>alert("x")</script> & \'Co\'', status=CustomerStatus.PROSPECT,
                               sector=SectorFactory(name="S&P <i>"), owner=owner, is_competitor=True, lead_score=42)
    customer.tags.add(TagFactory(name="zeta"), TagFactory(name="<alpha>"))
    Customer.objects.filter(pk=customer.pk).update(updated_at=datetime(2024, 7, 1, 23, 30, tzinfo=ZoneInfo("UTC")))
    # when its owner (who may change customers, in London time) opens the list
    html = client_for(owner).get("/customers/").content.decode()
    # then the row is exactly what the template used to write: escaped text, badge, tags by name, local date
    name = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;"
    assert _rows(html) == [
        f'<tr data-testid="customer-row" data-name="{name}">\n'
        f'          <td><input class="form-check-input" type="checkbox" name="ids" value="{customer.pk}" '
        f'aria-label="Select {name}"></td>\n'
        f'          <td><a href="/customers/{customer.pk}/" class="fw-semibold">{name}</a>\n'
        '            <span class="badge text-bg-warning ms-1">competitor</span>\n'
        '            <span class="badge text-bg-light border ms-1">&lt;alpha&gt;</span>'
        '<span class="badge text-bg-light border ms-1">zeta</span></td>\n'
        '          <td><span class="badge status-prospect">Prospect</span></td>\n'
        '          <td class="small">S&amp;P &lt;i&gt;</td>\n'
        '          <td class="small">Bob &quot;the&quot; &lt;b&gt; O&#x27;Brien</td>\n'
        '          <td class="text-end">42</td>\n'
        '          <td class="small text-body-secondary"><time datetime="2024-07-02T00:30:00+01:00">2 Jul 2024</time></td>\n'
        '        </tr>'
    ]
    assert "<script>" not in html
    assert_valid_html(html)


def test_read_only_users_see_the_rows_without_checkboxes_or_bulk_actions(tenant1, client_for, make_user):
    # given a customer without sector, owner, tags or badge
    CustomerFactory(name="Plain Ltd")
    # when a read-only user opens the list
    html = client_for(make_user(role=Role.READ_ONLY)).get("/customers/").content.decode()
    # then the row has no checkbox, dashes for the empty columns, and there is no bulk bar
    (row,) = _rows(html)
    assert 'name="ids"' not in html and 'id="bulk-action"' not in html and ">Select<" not in html
    assert "competitor" not in row and "badge text-bg-light" not in row
    assert row.count('<td class="small">—</td>') == 2


def test_sort_links_keep_the_filters_and_mark_the_current_sort(admin_client1):
    sector = SectorFactory()
    html = admin_client1.get("/customers/", {"q": "a&b c", "status": "lead", "sector": sector.pk, "archived": "on",
                                             "competitor": "yes", "sort": "-score"}).content.decode()
    query = f"q=a%26b%20c&amp;status=lead&amp;sector={sector.pk}&amp;competitor=yes&amp;archived=on&amp;"
    assert (f'<a class="link-body-emphasis text-decoration-none" href="?{query}sort=name">Name</a>\n</th>') in html
    assert (f'<a class="link-body-emphasis text-decoration-none" href="?{query}sort=score">Score '
            '<i class="bi bi-caret-down-fill" aria-hidden="true"></i><span class="visually-hidden">(sorted descending)'
            '</span></a>') in html
    not_competitors = admin_client1.get("/customers/", {"competitor": "no"}).content.decode()
    assert 'href="?competitor=no&amp;sort=score"' in not_competitors
    ascending = admin_client1.get("/customers/", {"sort": "owner"}).content.decode()
    assert ('href="?sort=-owner">Owner <i class="bi bi-caret-up-fill" aria-hidden="true"></i>'
            '<span class="visually-hidden">(sorted ascending)</span></a>') in ascending


def test_the_filter_menus_keep_the_choice_and_flag_a_refused_one(admin_client1, admin_user):
    # given a sector and a tag to filter by
    sector = SectorFactory(name="Schools & colleges")
    tag = TagFactory(name="<fibre>")
    # when the list is filtered by them, by its owner, and by a status that does not exist
    html = admin_client1.get("/customers/", {"sector": sector.pk, "tag": tag.pk, "owner": admin_user.pk,
                                             "status": "nope"}).content.decode()
    # then the refused status is flagged the way Django flags it and nothing is filtered
    assert ('<select aria-describedby="id_status_error" aria-invalid="true" class="form-select is-invalid" '
            'id="id_status" name="status"><option value="">Any status</option>') in html
    assert (f'<option value="{sector.pk}" selected>Schools &amp; colleges</option>') in html
    assert ('<select class="form-select" id="id_tag" name="tag"><option value="">Any tag</option>'
            f'<option value="{tag.pk}" selected>&lt;fibre&gt;</option></select>') in html
    # when the choices are valid, each menu keeps its choice, and the owner menus list the owners
    html = admin_client1.get("/customers/", {"sector": sector.pk, "owner": admin_user.pk}).content.decode()
    assert f'<option value="{sector.pk}" selected>Schools &amp; colleges</option>' in html
    assert f'<option value="{admin_user.pk}" selected>Ada Admin</option>' in html  # the owner filter
    assert ('<option value="">No owner</option>'
            f'<option value="{admin_user.pk}">Ada Admin</option>') not in html  # no rows, so no bulk bar
    assert_valid_html(html)


def test_an_unknown_or_malformed_sector_is_refused_without_filtering(admin_client1):
    CustomerFactory(name="Kept Ltd")
    for value in ("999999", "abc", "1.5"):
        html = admin_client1.get("/customers/", {"sector": value}).content.decode()
        assert len(_rows(html)) == 1 and 'aria-invalid="true" class="form-select is-invalid" id="id_sector"' in html


def test_a_first_page_that_holds_every_match_is_not_counted_again(admin_client1, assert_queries):
    # given 30 customers, two of which match a search
    for index in range(30):
        CustomerFactory(name=f"Company {index:02d}")
    admin_client1.get("/customers/")  # warm the permission cache
    # when the search updates the table
    with assert_queries(5) as context:
        response = admin_client1.get("/customers/", {"q": "company 1"}, HTTP_HX_REQUEST="true",
                                     HTTP_HX_TARGET="customer-table")
    # then no COUNT(*) of the customers ran, and the total is still shown
    html = response.content.decode()
    assert not any("COUNT(*)" in query["sql"] and "crm_customer" in query["sql"] for query in context.captured_queries)
    assert len(_rows(html)) == 10 and "10 customers" in html and "Page 1 of" not in html
    # when the full list is shown, the first page is full: it is counted and paginated
    html = admin_client1.get("/customers/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-table").content.decode()
    assert len(_rows(html)) == 25 and "30 customers" in html and "Page 1 of 2" in html
    second = admin_client1.get("/customers/", {"page": 2}).content.decode()
    assert [row.split('data-name="')[1].split('"')[0] for row in _rows(second)] == [
        f"Company {index:02d}" for index in range(25, 30)]


def test_the_board_cards_escape_user_text_and_carry_the_drag_data(admin_client1, client_for, make_user):
    # given an opportunity with hostile text, a close date and a value with pence
    customer = CustomerFactory(name="Fish & <Chips>")
    deal = Opportunity.objects.create(customer=customer, title='<b>"Big" deal</b>', value=Decimal("12345.5"),
                                      probability=60, expected_close_on=date(2025, 3, 9), stage="negotiation")
    Opportunity.objects.create(customer=customer, title="Open date", stage="negotiation")
    # when the board is shown
    html = admin_client1.get("/pipeline/").content.decode()
    # then the card is what the template wrote: escaped, with the move URL the drag-and-drop posts to
    title = "&lt;b&gt;&quot;Big&quot; deal&lt;/b&gt;"
    assert (f'<article class="card mb-2 pipeline-card" data-id="{deal.pk}" data-move-url="/opportunities/{deal.pk}/stage/" '
            f'data-testid="card" data-title="{title}">\n'
            '        <div class="card-body p-2">\n'
            f'          <div class="fw-semibold small">{title}</div>\n'
            f'          <div class="small"><a href="/customers/{customer.pk}/">Fish &amp; &lt;Chips&gt;</a></div>\n'
            '          <div class="small text-body-secondary">GBP 12,345.50 · 60% · 9 Mar</div>\n'
            '        </div>\n'
            '      </article>') in html
    assert '<div class="small text-body-secondary">GBP 0.00 · 20%</div>' in html  # no close date
    assert 'data-stage="negotiation" data-board-drop>' in html
    assert_valid_html(html)
    # and a read-only user sees the cards but gets no drop targets
    read_only = client_for(make_user(role=Role.READ_ONLY)).get("/pipeline/").content.decode()
    assert f'data-id="{deal.pk}"' in read_only and "data-board-drop" not in read_only
