from django import template

from apps.core import formats

register = template.Library()

register.filter("vn_number", formats.vn_number)
register.filter("vn_money", formats.vn_money)
register.filter("vn_date", formats.vn_date)
register.filter("vn_date_long", formats.vn_date_long)
register.filter("vn_datetime", formats.vn_datetime)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
