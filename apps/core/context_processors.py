from django.conf import settings


def site(request):
    return {"SITE_NAME": "Thi đua", "DEBUG": settings.DEBUG}
