"""Template helpers for the UI shell: Bootstrap classes on widgets, the active menu item, history.

Kept here instead of a widget-tweaks dependency: the few rules the project needs fit in a page.
"""

import contextlib
import datetime as dt
import re

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.forms import BoundField
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import formats

register = template.Library()

# Widgets drawn as a list of their own inputs; Bootstrap's classes on the outer element would be
# wrong, so these are styled by the ``.choice-list`` wrapper in thidua.css instead.
CHOICE_LISTS = {"radioselect", "checkboxselectmultiple"}
SELECTS = {"select", "selectmultiple", "nullbooleanselect"}


def _merge_classes(*groups: str) -> str:
    return " ".join(dict.fromkeys(name for group in groups for name in group.split()))


@register.filter
def add_class(field: BoundField, css: str):
    """Render ``field``'s widget with ``css`` added to the classes it already has."""
    if not isinstance(field, BoundField):
        return field
    existing = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": _merge_classes(existing, css)})


@register.filter
def widget_css(field: BoundField, size: str = "") -> str:
    """The Bootstrap classes for a field's widget (``size`` "sm" or "lg"), ``is-invalid`` on errors."""
    kind = field.widget_type
    if kind in CHOICE_LISTS:
        return ""
    if kind == "checkbox":
        return _merge_classes("form-check-input", "is-invalid" if field.errors else "")
    base = "form-select" if kind in SELECTS else "form-control"
    return _merge_classes(
        base, f"{base}-{size}" if size else "", "is-invalid" if field.errors else ""
    )


@register.filter
def bs_widget(field: BoundField, size: str = ""):
    """Render a bound field's widget with Bootstrap classes (what the user typed is kept)."""
    if not isinstance(field, BoundField):
        return field
    css = widget_css(field, size)
    return add_class(field, css) if css else field.as_widget()


@register.filter
def is_choice_list(field: BoundField) -> bool:
    return isinstance(field, BoundField) and field.widget_type in CHOICE_LISTS


@register.simple_tag(takes_context=True)
def nav_active(context, *view_name_prefixes: str) -> str:
    """``"active"`` when the current view's name starts with one of the prefixes.

    ``{% nav_active "organizations:cluster_" "organizations:term_" as active %}`` marks the
    Clusters menu item on cluster and term pages alike.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = getattr(match, "view_name", "") or ""
    if view_name and any(view_name.startswith(prefix) for prefix in view_name_prefixes):
        return "active"
    return ""


# --- history page: audit values shown to people ------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

# Snapshot keys that are not model fields (derived lists in a service's snapshot).
_EXTRA_LABELS = {
    "members": gettext_lazy("members"),
    "leader": gettext_lazy("leader"),
    "deputies": gettext_lazy("deputies"),
    "predecessors": gettext_lazy("predecessors"),
    "successor": gettext_lazy("successor"),
    "effective_date": gettext_lazy("effective date"),
    "legal_basis": gettext_lazy("legal basis"),
    "next_term": gettext_lazy("next year's term"),
    "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"),
    "successions": gettext_lazy("successions"),
}
_ACTION_VERBS = {
    "create": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "update_notes": gettext_lazy("Notes changed"),
    "delete": gettext_lazy("Deleted"),
    "merge": gettext_lazy("Merged into a successor"),
    "merge_into": gettext_lazy("Merger recorded"),
    "provinces_load": gettext_lazy("Reference data loaded"),
    "open_next": gettext_lazy("Next year opened"),
}


def _display_scalar(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            with contextlib.suppress(ValueError):
                return formats.vn_date(dt.date.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            with contextlib.suppress(ValueError):
                return formats.vn_datetime(dt.datetime.fromisoformat(value))
    return str(value)


def audit_display(value) -> str:
    """An audited value as a reader wants it: names not ids, dates as 05/12/2025, lists joined."""
    if isinstance(value, dict):
        if "repr" in value:  # a related object recorded as {"id": …, "repr": …}
            return str(value["repr"])
        if not value:
            return "—"
        return "; ".join(f"{key}: {audit_display(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(audit_display(item) for item in value) if value else "—"
    return _display_scalar(value)


register.filter("audit_display", audit_display)


@register.simple_tag
def audit_value(obj, name: str, value) -> str:
    """``audit_display`` that also turns a choice field's stored value into its label."""
    meta = getattr(obj, "_meta", None)
    if meta is not None and isinstance(value, str | int) and not isinstance(value, bool):
        with contextlib.suppress(FieldDoesNotExist):
            field = meta.get_field(name)
            labels = dict(field.flatchoices) if getattr(field, "choices", None) else {}
            if value in labels:
                return str(labels[value])
    return audit_display(value)


@register.filter
def is_blank(value) -> bool:
    """True for values a reader would not miss in a "created" entry: None, "", [] and {}."""
    return value is None or value == "" or value == [] or value == {}


@register.filter
def field_label(obj, name: str) -> str:
    """The verbose name of ``obj``'s field ``name``, capitalised; the key itself otherwise."""
    meta = getattr(obj, "_meta", None)
    if meta is not None:
        with contextlib.suppress(FieldDoesNotExist):
            return capfirst(str(meta.get_field(name).verbose_name))
    label = _EXTRA_LABELS.get(name)
    return capfirst(str(label)) if label else capfirst(name.replace("_", " "))


@register.filter
def action_label(action: str) -> str:
    """``"term.update"`` -> "Changed"; an action with no known verb is shown as recorded."""
    verb = (action or "").rsplit(".", 1)[-1]
    label = _ACTION_VERBS.get(verb)
    return str(label) if label else action


@register.filter
def elided_range(paginator, number):
    """Page numbers around ``number`` with ``…`` gaps: 1 … 4 5 6 7 8 … 20."""
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)
