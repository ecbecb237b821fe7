"""The award rules (versions with their dates and documents), the receiving bodies' quotas and
the certificate templates: everyone reads; central officers add versions and set quotas."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.permissions import can_manage_sector, require_sector_manager, require_signed_in
from apps.awards import certificates, selectors, services
from apps.awards.forms import CertificateTemplateForm, OnDateForm, QuotaForm, RuleForm
from apps.awards.models import AwardQuota, AwardRule, AwardType, CertificateTemplate
from apps.awards.rules import rules_in_force
from apps.core.views_helpers import form_page

__all__ = [
    "quota_create",
    "rule_create",
    "rule_list",
    "template_create",
    "template_edit",
    "template_list",
    "template_preview",
]


def _crumbs(*tail):
    return [
        (_("Home"), reverse("core:home")),
        (_("Award rules"), reverse("awards:rule_list")),
        *tail,
    ]


class _Done:
    def __init__(self, url):
        self.url = url

    def get_absolute_url(self):
        return self.url


@login_required
def rule_list(request):
    require_signed_in(request.user)
    form = OnDateForm(request.GET or None)
    on = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    rows = [(t, rules_in_force(t, on)) for t in AwardType.objects.all()]
    context = {
        "form": form,
        "on": on,
        "rows": rows,
        "versions": AwardRule.objects.select_related("award_type", "required_award"),
        "quotas": AwardQuota.objects.select_related("receiver", "award_type"),
        "can_manage": can_manage_sector(request.user),
        "breadcrumbs": _crumbs()[:-1] + [(_("Award rules"), None)],
    }
    return render(request, "awards/rules.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request):
    require_sector_manager(request.user)

    def save(data):
        services.award_rule_add(actor=request.user, **data)
        return _Done(reverse("awards:rule_list"))

    return form_page(
        request,
        RuleForm(request.POST or None, initial={"applies": True}),
        save=save,
        message=_("The new rule version was recorded; the previous one ends the day before."),
        title=_("New rule version"),
        cancel_url=reverse("awards:rule_list"),
        breadcrumbs=_crumbs((_("New rule version"), None)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def quota_create(request):
    require_sector_manager(request.user)

    def save(data):
        services.award_quota_set(actor=request.user, **data)
        return _Done(reverse("awards:rule_list") + "#quotas")

    return form_page(
        request,
        QuotaForm(request.POST or None, receivers=selectors.receivers()),
        save=save,
        message=_("The quota was set."),
        title=_("Set a quota"),
        cancel_url=reverse("awards:rule_list"),
        breadcrumbs=_crumbs((_("Set a quota"), None)),
    )


@login_required
def template_list(request):
    require_signed_in(request.user)
    return render(
        request,
        "awards/templates.html",
        {
            "templates": CertificateTemplate.objects.select_related("award_type"),
            "can_manage": can_manage_sector(request.user),
            "breadcrumbs": _crumbs((_("Certificate templates"), None)),
        },
    )


def _template_page(request, template=None):
    require_sector_manager(request.user)
    initial = {"landscape": True, "draw_border": True, "layout": []}
    if template is not None:
        initial = {
            "name": template.name,
            "award_type": template.award_type,
            "landscape": template.landscape,
            "draw_border": template.draw_border,
            "layout": template.layout,
        }
    elif (default := CertificateTemplate.objects.filter(award_type=None).first()) is not None:
        initial["layout"] = default.layout
    form = CertificateTemplateForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data):
        saved = services.certificate_template_save(
            actor=request.user,
            template=template,
            name=data["name"],
            award_type=data["award_type"],
            landscape=data["landscape"],
            draw_border=data["draw_border"],
            layout=data["layout"],
            background=data["background"] or None,
        )
        return _Done(reverse("awards:template_list") + f"#template-{saved.pk}")

    title = (
        _("Edit the template: %(name)s") % {"name": template.name}
        if template
        else _("New certificate template")
    )
    return form_page(
        request,
        form,
        save=save,
        message=_("The template was saved; open its preview to check the page."),
        title=title,
        cancel_url=reverse("awards:template_list"),
        breadcrumbs=_crumbs(
            (_("Certificate templates"), reverse("awards:template_list")), (title, None)
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    return _template_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    return _template_page(request, get_object_or_404(CertificateTemplate, pk=pk))


SAMPLE = certificates.CertificateText(
    issuing_body="Ban Tổ chức Trung ương",
    award_name="Cờ thi đua",
    intro="Tặng",
    recipient="Ban Tổ chức Tỉnh ủy Phú Thọ",
    reason="Đã có thành tích xuất sắc, dẫn đầu Cụm thi đua số 1 năm 2025",
    decision="Quyết định số 0000-QĐ/BTCTW ngày 20/12/2025",
    certificate_number="Số: 0000-QĐ/BTCTW/01",
    place_date="Hà Nội, ngày 20 tháng 12 năm 2025",
    signer_title="Trưởng ban",
    signer="Nguyễn Văn A",
)


@login_required
def template_preview(request, pk: int):
    require_signed_in(request.user)
    template = get_object_or_404(CertificateTemplate, pk=pk)
    response = HttpResponse(
        certificates.certificate_pdf(template, [SAMPLE]), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="mau-{template.pk}.pdf"'
    return response
