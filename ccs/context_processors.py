from django.conf import settings


def _once(compute):
    """A value the template computes only if it shows it (and once): an htmx fragment that never shows the shell
    skips the sidebar and the unread count (a query). Templates call callables when they resolve a variable."""
    computed = []

    def value():
        if not computed:
            computed.append(compute())
        return computed[0]

    return value


def shell(request):
    """What the page shell needs: version, tenant, sidebar sections, unread notification count."""
    context = {"ccs_version": settings.VERSION, "base_domain": settings.BASE_DOMAIN}
    tenant = getattr(request, "tenant", None)
    context["current_tenant"] = tenant
    user = getattr(request, "user", None)
    if tenant is not None and not tenant.is_system and user is not None and user.is_authenticated:
        from core.navigation import sections_for
        from core.notifications import unread_count

        context["nav_sections"] = _once(lambda: sections_for(user, request.path))
        context["unread_notifications"] = _once(lambda: unread_count(user=user))
    return context
