import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    """Show times in the user's timezone, else the tenant's, else UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.timezone:
            name = user.timezone
        elif getattr(request, "tenant", None) is not None:
            name = request.tenant.timezone
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except zoneinfo.ZoneInfoNotFoundError:
            timezone.deactivate()
        return self.get_response(request)
