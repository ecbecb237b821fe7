from django.conf import settings

from apps.core.context import client_ip


def _client_address(request) -> str | None:
    # Behind a trusted proxy (production), the first X-Forwarded-For hop is the client.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Makes the client address available to ``record_event`` for the whole request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(_client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
