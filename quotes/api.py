"""Products and suppliers in the integration API: the same services, selectors and permissions as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_permissions import requires
from quotes import permissions
from quotes.errors import QuotesError
from quotes.forms import ProductFilterForm
from quotes.models import Product, ProductCategory, Supplier
from quotes.selectors import catalogue as selectors
from quotes.services import catalogue as services

VIEW_OR_CHANGE = requires(permissions.VIEW_CATALOGUE, permissions.CHANGE_CATALOGUE)


def _service(call):
    """Domain errors and model validation become a 400 with the reason."""
    try:
        return call()
    except QuotesError as error:
        raise ValidationError({"detail": str(error)}) from None
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}) from None


class ProductSerializer(serializers.ModelSerializer):
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.filter(archived_at__isnull=True))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    category = serializers.PrimaryKeyRelatedField(queryset=ProductCategory.objects.all(), allow_null=True, required=False)
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)

    class Meta:
        model = Product
        fields = ["id", "supplier", "supplier_name", "part_number", "description", "category", "category_name", "unit",
                  "cost_price", "list_price", "is_active", "notes", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class ProductUpdateSerializer(ProductSerializer):
    # a product of a since-archived supplier can still be edited; moving it to an archived supplier is refused
    supplier = serializers.PrimaryKeyRelatedField(queryset=Supplier.objects.all(), required=False)


PRODUCT_FILTERS = [
    OpenApiParameter("q", str, description="Words of the description or (part of) a part number; every word must match"),
    OpenApiParameter("supplier", int), OpenApiParameter("category", int),
    OpenApiParameter("status", str, enum=["active", "inactive", "all"], description="Default: active"),
    OpenApiParameter("sort", str, enum=list(selectors.PRODUCT_SORTS), description="Default: relevance when searching, "
                                                                                    "else part number"),
    OpenApiParameter("page", int),
]


class ProductListCreate(generics.GenericAPIView):
    permission_classes = [VIEW_OR_CHANGE]
    serializer_class = ProductSerializer

    @extend_schema(parameters=PRODUCT_FILTERS, responses=ProductSerializer(many=True))
    def get(self, request):
        filters = ProductFilterForm(request.query_params or None).filters()
        ids = self.paginate_queryset(selectors.product_list(filters=filters).values_list("id", flat=True))
        return self.get_paginated_response(ProductSerializer(selectors.products_in_order(ids), many=True).data)

    @extend_schema(request=ProductSerializer, responses={201: ProductSerializer})
    def post(self, request):
        serializer = ProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        product = _service(lambda: services.product_create(acting_user=request.user, source="api", **data))
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetail(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(responses=ProductSerializer)
    def get(self, request, pk):
        return Response(ProductSerializer(selectors.product_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=ProductUpdateSerializer, responses=ProductSerializer,
                   description=str(_("Change fields; a new cost or list price is added to the price history.")))
    def patch(self, request, pk):
        product = selectors.product_get_for_user(user=request.user, pk=pk)
        serializer = ProductUpdateSerializer(product, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "supplier" in changes and changes["supplier"] != product.supplier and changes["supplier"].is_archived:
            raise ValidationError({"supplier": [str(_("This supplier is archived."))]})
        _service(lambda: services.product_update(product=product, acting_user=request.user, changes=changes,
                                                 source="api"))
        return Response(ProductSerializer(selectors.product_get_for_user(user=request.user, pk=pk)).data)


class ProductDeactivate(APIView):
    permission_classes = [requires(permissions.VIEW_CATALOGUE, permissions.CHANGE_CATALOGUE)]

    @extend_schema(request=None, responses=ProductSerializer,
                   description=str(_("Stop offering the product on new quotes (products are never deleted).")))
    def post(self, request, pk):
        product = selectors.product_get_for_user(user=request.user, pk=pk)
        services.product_deactivate(product=product, acting_user=request.user)
        return Response(ProductSerializer(product).data)


class SupplierSerializer(serializers.ModelSerializer):
    archived = serializers.BooleanField(source="is_archived", read_only=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "account_number", "contact_name", "email", "phone", "website", "is_preferred", "notes",
                  "archived", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"name": {"validators": []}}  # unique whatever the case: checked below


def _check_supplier_name(name: str, exclude_pk: int | None = None) -> None:
    clashes = Supplier.objects.filter(name__iexact=name.strip())
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ValidationError({"name": [str(_("There is already a supplier with this name."))]})


class SupplierListCreate(generics.GenericAPIView):
    permission_classes = [VIEW_OR_CHANGE]
    serializer_class = SupplierSerializer

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("archived", bool),
                               OpenApiParameter("page", int)], responses=SupplierSerializer(many=True))
    def get(self, request):
        suppliers = selectors.supplier_list(search=request.query_params.get("q", ""),
                                            archived=request.query_params.get("archived") in ("1", "true", "on"))
        return self.get_paginated_response(SupplierSerializer(self.paginate_queryset(suppliers), many=True).data)

    @extend_schema(request=SupplierSerializer, responses={201: SupplierSerializer})
    def post(self, request):
        serializer = SupplierSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        _check_supplier_name(data["name"])
        supplier = _service(lambda: services.supplier_create(acting_user=request.user, **data))
        return Response(SupplierSerializer(supplier).data, status=status.HTTP_201_CREATED)


class SupplierDetail(APIView):
    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(responses=SupplierSerializer)
    def get(self, request, pk):
        return Response(SupplierSerializer(selectors.supplier_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(request=SupplierSerializer, responses=SupplierSerializer)
    def patch(self, request, pk):
        supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
        serializer = SupplierSerializer(supplier, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "name" in changes:
            _check_supplier_name(changes["name"], exclude_pk=supplier.pk)
        _service(lambda: services.supplier_update(supplier=supplier, acting_user=request.user, changes=changes))
        return Response(SupplierSerializer(supplier).data)


class SupplierArchive(APIView):
    """POST archives the supplier; DELETE on this URL restores it."""

    permission_classes = [VIEW_OR_CHANGE]

    @extend_schema(request=None, responses=SupplierSerializer, description=str(_("Archive the supplier.")))
    def post(self, request, pk):
        supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
        return Response(SupplierSerializer(services.supplier_archive(supplier=supplier, acting_user=request.user)).data)

    @extend_schema(request=None, responses=SupplierSerializer, description=str(_("Restore an archived supplier.")))
    def delete(self, request, pk):
        supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
        return Response(SupplierSerializer(services.supplier_restore(supplier=supplier, acting_user=request.user)).data)
