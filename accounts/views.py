"""Sign-in, profile, password and team pages. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, views as auth_views
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions, selectors, services
from accounts.access import staff_view
from accounts.errors import AccountsError, InvitationInvalid
from accounts.forms import (
    InvitationAcceptForm,
    InviteForm,
    ProfileForm,
    QueuedPasswordResetForm,
    RoleForm,
    SignInForm,
)
from accounts.models import User
from accounts.roles import Role

USERS_PER_PAGE = 25


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_initial(self):
        return {"email": self.request.GET.get("email", "")}


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        from core.events import event_record

        event_record(kind="user.password_changed", actor=self.request.user, subject=self.request.user, data={})
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@staff_view()
def profile(request):
    editable = User.objects.get(pk=request.user.pk)  # the form edits a copy; the service compares with the original
    form = ProfileForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, changes=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _team_context(request, invite_form=None):
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(search=search), USERS_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = request.user.has_perm(permissions.MANAGE_USERS)
    return {
        "page": page,
        "search": search,
        "invitations": selectors.invitation_list_open()[:50],
        "invite_form": invite_form or (InviteForm() if can_manage else None),
        "can_manage": can_manage,
        "roles": [(value, str(label)) for value, label in Role.choices],  # translated once, not per row
    }


@staff_view(permissions.VIEW_USERS)
def user_list(request):
    context = _team_context(request)
    if request.htmx and request.htmx.target == "user-table":
        return render(request, "accounts/user_list.html#user-table", context)
    return render(request, "accounts/user_list.html", context)


@require_POST
@staff_view(permissions.MANAGE_USERS)
def user_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
                invited_by=request.user, base_url=_base_url(request),
            )
        except AccountsError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            if request.htmx:
                return render(request, "accounts/user_list.html#invitations", {**_team_context(request), "invite_form": InviteForm()})
            return redirect("accounts:user_list")
    if request.htmx:
        return render(request, "accounts/user_list.html#invitations", _team_context(request, invite_form=form), status=422)
    return render(request, "accounts/user_list.html", _team_context(request, invite_form=form), status=422)


def _row_or_redirect(request, user, status=200):
    if request.htmx:
        user = selectors.user_get_for_user(user=request.user, pk=user.pk)
        return render(request, "accounts/user_list.html#user-row",
                      {"member": user, "can_manage": True, "roles": Role.choices}, status=status)
    return redirect("accounts:user_list")


@require_POST
@staff_view(permissions.MANAGE_USERS)
def user_role(request, pk):
    member = selectors.user_get_for_user(user=request.user, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return _row_or_redirect(request, member, status=422)
    try:
        services.user_set_role(user=member, role=form.cleaned_data["role"], acting_user=request.user)
    except AccountsError as error:
        messages.error(request, str(error))
        return _row_or_redirect(request, member, status=409)
    messages.success(request, _("%(name)s is now %(role)s.") % {"name": member, "role": Role(form.cleaned_data["role"]).label})
    return _row_or_redirect(request, member)


@require_POST
@staff_view(permissions.MANAGE_USERS)
def user_deactivate(request, pk):
    member = selectors.user_get_for_user(user=request.user, pk=pk)
    try:
        services.user_deactivate(user=member, acting_user=request.user)
    except AccountsError as error:
        messages.error(request, str(error))
        return _row_or_redirect(request, member, status=409)
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": member})
    return _row_or_redirect(request, member)


@require_POST
@staff_view(permissions.MANAGE_USERS)
def user_reactivate(request, pk):
    member = selectors.user_get_for_user(user=request.user, pk=pk)
    services.user_reactivate(user=member, acting_user=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member})
    return _row_or_redirect(request, member)


@require_POST
@staff_view(permissions.MANAGE_USERS)
def invitation_resend(request, pk):
    invitation = selectors.invitation_get_for_user(user=request.user, pk=pk)
    services.invitation_resend(invitation=invitation, acting_user=request.user, base_url=_base_url(request))
    messages.success(request, _("A new invitation link was sent to %(email)s.") % {"email": invitation.email})
    if request.htmx:
        return render(request, "accounts/user_list.html#invitations", _team_context(request))
    return redirect("accounts:user_list")


@require_POST
@staff_view(permissions.MANAGE_USERS)
def invitation_revoke(request, pk):
    invitation = selectors.invitation_get_for_user(user=request.user, pk=pk)
    services.invitation_revoke(invitation=invitation, acting_user=request.user)
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    if request.htmx:
        return render(request, "accounts/user_list.html#invitations", _team_context(request))
    return redirect("accounts:user_list")


def invitation_accept(request, token):
    """Public: the one-time link from the invitation email. An unknown token is a 404 on every tenant."""
    try:
        invitation = services.invitation_check(token=token)
    except InvitationInvalid as error:
        if selectors.invitation_get_by_token(token=token) is None:
            raise Http404 from None
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except AccountsError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(company)s, %(name)s.") % {"company": request.tenant.name, "name": user.first_name})
        return redirect(reverse("core:dashboard"))
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
