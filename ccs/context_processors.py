from django.conf import settings


def shell(request):
    """What the page shell needs: version, tenant, sidebar sections, unread notification count."""
    context = {"ccs_version": settings.VERSION, "base_domain": settings.BASE_DOMAIN}
    tenant = getattr(request, "tenant", None)
    context["current_tenant"] = tenant
    user = getattr(request, "user", None)
    if tenant is not None and not tenant.is_system and user is not None and user.is_authenticated:
        from core.navigation import sections_for
        from core.notifications import unread_count

        context["nav_sections"] = sections_for(user, request.path)
        context["unread_notifications"] = unread_count(user=user)
    return context
