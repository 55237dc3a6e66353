"""Lines of a quote in the integration API, nested under the quote: list, add (blank, with fields, or from a catalogue
product), change, delete, move and reorder. Each write is a service call; a sent quote answers 409 and nothing
changes (quotes/api_quotes.py has the shared error handling and the serializers of the quote)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from quotes.api_quotes import (
    ERRORS, READ_OR_CHANGE, ErrorSerializer, QuoteLineSerializer, QuoteSerializer, quote_response, with_totals,
    service_call,
)
from quotes.models import Product, Quote, QuoteLine
from quotes.selectors import quotes as selectors
from quotes.services import quotes as services


class QuoteLineWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuoteLine
        fields = ["kind", "description", "part_number", "supplier_name", "quantity", "unit", "unit_cost",
                  "unit_price", "markup_percent", "discount_percent", "is_optional", "alternative_group",
                  "alternative_chosen", "recurrence", "internal_note"]


class QuoteLineCreateSerializer(QuoteLineWriteSerializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.select_related("supplier").filter(is_active=True), required=False, allow_null=True,
        help_text="copy part number, description, supplier, unit, cost and list price from this catalogue product")
    after = serializers.IntegerField(required=False, allow_null=True,
                                     help_text="id of the line the new one goes after; default: at the end")

    class Meta(QuoteLineWriteSerializer.Meta):
        fields = ["product", "after", *QuoteLineWriteSerializer.Meta.fields]


# -------------------------------------------------------------------------------------------------- the lines

class LinePagination(PageNumberPagination):
    page_size = 500  # a quote's lines come whole (a 200-line quote is one page); the totals need them all anyway


class QuoteLineListCreate(generics.GenericAPIView):
    permission_classes = [READ_OR_CHANGE]
    serializer_class = QuoteLineSerializer
    pagination_class = LinePagination

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=QuoteLineSerializer(many=True))
    def get(self, request, pk):
        quote = with_totals(selectors.quote_get_for_user(user=request.user, pk=pk))
        return self.get_paginated_response(QuoteLineSerializer(self.paginate_queryset(quote.api_lines), many=True).data)

    @extend_schema(request=QuoteLineCreateSerializer, responses={201: QuoteLineSerializer, **ERRORS},
                   description=str(gettext_lazy("Add a line: blank, with the fields given, or from a catalogue "
                                                "product (`product`), after line `after` or at the end.")))
    def post(self, request, pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        serializer = QuoteLineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        product, after_id = fields.pop("product", None), fields.pop("after", None)
        after = None
        if after_id is not None:
            after = quote.lines.filter(pk=after_id).first()
            if after is None:
                raise ValidationError({"after": [_("That line is not on this quote.")]})

        def add():
            with transaction.atomic():
                if product is None:
                    return services.line_add(quote=quote, acting_user=request.user, fields=fields, after=after)
                line = services.line_add_from_product(quote=quote, acting_user=request.user, product=product,
                                                      after=after, quantity=fields.pop("quantity", Decimal(1)))
                if fields:
                    services.line_update(line=line, acting_user=request.user, changes=fields)
                return line

        line = service_call(quote, add)
        return Response(_line_data(quote, line.pk), status=status.HTTP_201_CREATED)


def _line_data(quote: Quote, line_pk: int) -> dict:
    quote.refresh_from_db()
    lines = with_totals(quote).api_lines
    return QuoteLineSerializer(next(line for line in lines if line.pk == line_pk)).data


class QuoteLineDetail(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(responses={200: QuoteLineSerializer, 404: ErrorSerializer})
    def get(self, request, pk, line_pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        line = selectors.quote_line_get(quote=quote, pk=line_pk)
        return Response(_line_data(quote, line.pk))

    @extend_schema(request=QuoteLineWriteSerializer, responses={200: QuoteLineSerializer, **ERRORS},
                   description=str(gettext_lazy("Change fields of a line of a draft; a typed unit price clears the "
                                                "markup. A sent quote answers 409 and nothing changes.")))
    def patch(self, request, pk, line_pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        line = selectors.quote_line_get(quote=quote, pk=line_pk)
        serializer = QuoteLineWriteSerializer(line, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        service_call(quote, lambda: services.line_update(line=line, acting_user=request.user, changes=changes))
        return Response(_line_data(quote, line.pk))

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request, pk, line_pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        line = selectors.quote_line_get(quote=quote, pk=line_pk)
        service_call(quote, lambda: services.line_delete(line=line, acting_user=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LineOrderSerializer(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), allow_empty=True, default=list,
                                  help_text="every line id of the quote, once, in the new order")


class LineMoveSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, help_text="the line's new position, counted from 1")


class QuoteLineOrder(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=LineOrderSerializer, responses={200: QuoteSerializer, **ERRORS},
                   description=str(gettext_lazy("Reorder every line at once (lines and section headings).")))
    def post(self, request, pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        serializer = LineOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = serializer.validated_data["order"]
        service_call(quote, lambda: services.line_move(quote=quote, acting_user=request.user, ordered_ids=order))
        return quote_response(request, pk)


class QuoteLineMove(APIView):
    permission_classes = [READ_OR_CHANGE]

    @extend_schema(request=LineMoveSerializer, responses={200: QuoteSerializer, **ERRORS},
                   description=str(gettext_lazy("Move one line to a position (past the end means last).")))
    def post(self, request, pk, line_pk):
        quote = selectors.quote_get_for_user(user=request.user, pk=pk)
        line = selectors.quote_line_get(quote=quote, pk=line_pk)
        serializer = LineMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = [pk_ for pk_ in quote.lines.order_by("position", "id").values_list("id", flat=True) if pk_ != line.pk]
        ids.insert(min(serializer.validated_data["position"] - 1, len(ids)), line.pk)
        service_call(quote, lambda: services.line_move(quote=quote, acting_user=request.user, ordered_ids=ids))
        return quote_response(request, pk)
