import zoneinfo

from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Show times in the user's timezone (else the tenant's, else UTC) and pages in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = ""
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and user.timezone:
            name = user.timezone
        elif getattr(request, "tenant", None) is not None:
            name = request.tenant.timezone
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except zoneinfo.ZoneInfoNotFoundError:
            timezone.deactivate()
        if signed_in and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
