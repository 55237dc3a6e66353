import io
from decimal import Decimal as D

from core.benchload import form_body
from crm.tests.factories import CustomerFactory
from quotes.bench_documents import BUILDER_LINES, quotes_bench_document_pages, quotes_bench_documents_seed
from quotes.models import Quote
from quotes.services.quotes import quote_create


def test_the_bench_quotes_load_in_bulk_keep_numbering_and_the_builder_edit_answers(admin_client1, admin_user):
    # given
    CustomerFactory.create_batch(5)
    # when
    quotes_bench_documents_seed(stdout=io.StringIO(), quotes=40)
    quotes_bench_documents_seed(stdout=io.StringIO(), quotes=40)  # idempotent (the builder quote is the 41st)
    # then
    assert Quote.objects.count() == 41
    builder = Quote.objects.get(title__startswith="Bench builder")
    assert builder.lines.count() == BUILDER_LINES and builder.net_total > D("0")
    after = quote_create(customer=builder.customer, acting_user=admin_user, title="After the bench")
    assert after.number == max(Quote.objects.exclude(pk=after.pk).values_list("number", flat=True)) + 1
    pages = quotes_bench_document_pages()
    for label, path, *form in pages:
        if form:
            response = admin_client1.post(path, form_body(form[0], 1), content_type="application/x-www-form-urlencoded",
                                          HTTP_HX_REQUEST="true")
        else:
            response = admin_client1.get(path)
        assert response.status_code == 200, label
    line_path = pages[-1][1]
    line_pk = int(line_path.rstrip("/").rsplit("/", 1)[1])
    assert builder.lines.get(pk=line_pk).quantity == D("4")
