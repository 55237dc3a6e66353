"""The integration API's account endpoints: token pair, refresh with rotation, and `me`."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.authentication import SCHEMA_CLAIM, TenantJWTAuthentication
from accounts.errors import LoginLocked
from accounts.models import User
from accounts.services import user_api_tokens_revoke
from accounts.throttle import client_address, login_failure_record, login_failures_clear, login_lock_check


def token_pair_for(user: User) -> dict:
    refresh = RefreshToken.for_user(user)
    refresh[SCHEMA_CLAIM] = connection.schema_name
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class TokenRefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange an email and password for an access token (15 minutes) and a refresh token (7 days)."""

    permission_classes = [AllowAny]
    authentication_classes = [TenantJWTAuthentication]  # only to answer 401 (with WWW-Authenticate), not 403

    @extend_schema(request=TokenObtainSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        address = client_address(request)
        try:
            login_lock_check(email=email, address=address)
        except LoginLocked as locked:
            raise Throttled(wait=locked.retry_after_seconds, detail=str(locked)) from None
        user = authenticate(request, username=email, password=serializer.validated_data["password"])
        if user is None:
            login_failure_record(email=email, address=address)
            raise AuthenticationFailed(_("That email and password do not match an active account here."))
        login_failures_clear(email=email, address=address)
        return Response(token_pair_for(user))


class TokenRefreshView(APIView):
    """Rotate a refresh token: the old one stops working. Presenting an already-rotated token again revokes every
    API token of that user (someone else may hold a copy), and the caller must sign in again."""

    permission_classes = [AllowAny]
    authentication_classes = [TenantJWTAuthentication]  # only to answer 401 (with WWW-Authenticate), not 403

    @extend_schema(request=TokenRefreshSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = TokenRefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        raw = serializer.validated_data["refresh"]
        try:
            refresh = RefreshToken(raw)
        except TokenError:
            self._revoke_on_reuse(raw)
            raise InvalidToken(_("This refresh token is no longer valid. Request a new token pair.")) from None
        if refresh.get(SCHEMA_CLAIM) != connection.schema_name or not OutstandingToken.objects.filter(jti=refresh["jti"]).exists():
            raise InvalidToken(_("This token was not issued for this site."))
        user = User.objects.filter(pk=refresh.get("user_id"), is_active=True).first()
        if user is None:
            raise AuthenticationFailed(_("No active account found for this token."))
        with transaction.atomic():
            refresh.blacklist()
            pair = token_pair_for(user)
        return Response(pair, status=status.HTTP_200_OK)

    @staticmethod
    def _revoke_on_reuse(raw: str) -> None:
        try:
            token = RefreshToken(raw, verify=False)  # the signature is still checked; expiry and blacklist are not
        except TokenError:
            return
        if token.get(SCHEMA_CLAIM) != connection.schema_name:
            return
        outstanding = OutstandingToken.objects.filter(jti=token.get("jti")).select_related("user").first()
        if outstanding and outstanding.user and hasattr(outstanding, "blacklistedtoken"):
            user_api_tokens_revoke(user=outstanding.user)


class MeSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, allow_null=True)
    permissions = serializers.SerializerMethodField()
    tenant = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "timezone", "language", "role", "permissions", "tenant"]

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())

    @extend_schema(responses=inline_serializer("TenantSummary", {"slug": serializers.CharField(), "name": serializers.CharField()}))
    def get_tenant(self, user) -> dict:
        tenant = self.context["request"].tenant
        return {"slug": tenant.schema_name, "name": tenant.name}


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)
