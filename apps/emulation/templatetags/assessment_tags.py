"""Small filters of the self-assessment page: file sizes and numbers as a person types them."""

from django import template

from apps.emulation.evidence import size_label
from apps.emulation.forms_assessment import plain_number

register = template.Library()


@register.filter
def file_size(value) -> str:
    """1536 -> "2 KB"; 12345678 -> "11,8 MB"."""
    try:
        return size_label(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def typed_number(value) -> str:
    """Decimal("7.50") -> "7,5": what goes back into an input."""
    return plain_number(value)


@register.filter
def file_icon(content_type: str) -> str:
    """A Bootstrap icon name for an evidence file's type."""
    content_type = content_type or ""
    if content_type == "application/pdf":
        return "file-earmark-pdf"
    if content_type.startswith("image/"):
        return "file-earmark-image"
    if "word" in content_type:
        return "file-earmark-word"
    if "excel" in content_type or "spreadsheet" in content_type:
        return "file-earmark-excel"
    return "file-earmark"
