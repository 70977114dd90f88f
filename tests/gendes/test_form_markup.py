"""The project's Python renderer of forms (gendes.forms) draws what crispy-forms' Bootstrap 5
templates draw, whitespace aside: for the forms of a man's page,
empty and bound with errors. A crispy or Django upgrade that changes the markup fails here."""

import datetime
import re

import pytest
from django.template import Context, Template

from participants.forms import CloseEnrolmentForm, EnrolForm, IntakeForm, TransferForm
from programmes.models import Group

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 1)


def crispy(template, **context):
    return Template("{% load crispy_forms_tags %}" + template).render(Context(context))


def squeezed(html):
    """The markup without the whitespace between and inside tags that HTML ignores."""
    html = re.sub(r">\s+", ">", str(html))
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).replace("<div >", "<div>").strip()


def page_forms(cast):
    groups = Group.objects.all()
    bad_close = {"exit_status": "bogus", "end_date": "2030-01-01", "reason": "<b>"}
    return [
        CloseEnrolmentForm(today=TODAY),
        CloseEnrolmentForm(bad_close, today=TODAY),
        TransferForm(groups=groups, today=TODAY),
        TransferForm({"to_group": "999", "date": "x"}, groups=groups, today=TODAY),
        IntakeForm(today=TODAY),
        IntakeForm({"consent_given": "on", "notes": "a<b"}, today=TODAY),
        EnrolForm(groups=groups, today=TODAY),
        EnrolForm({"group": str(cast.group_a.pk), "start_date": ""}, groups=groups, today=TODAY),
    ]


def test_the_forms_of_a_mans_page_are_drawn_as_crispy_draws_them(cast):
    for form in page_forms(cast):
        if form.is_bound:
            assert not form.is_valid()
        assert squeezed(form.as_bootstrap()) == squeezed(crispy("{{ form|crispy }}", form=form))
