"""Partner contact pages: only partner-support workers of the man's site and admins reach
them; everyone else gets 404, whatever the id and the method."""

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gendes.audit.log import record
from gendes.audit.models import AuditEvent
from programmes import access

from ..models import PartnerContact
from . import selectors, services
from .forms import CODE_MAX, NewPartnerContactForm, PartnerContactEntryForm, PartnerContactForm

PAGE_SIZE = 25


def get_partner_contact_for_user(user, pk):
    """The partner contact, if the access policy lets `user` keep it; 404 otherwise."""
    return get_object_or_404(
        PartnerContact.objects.visible_to(user).select_related("participant__site"), pk=pk
    )


def partner_support_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not access.is_partner_support(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def with_partner_contact(view):
    """Load the contact before anything else (the method check included), so that those who
    may not see it get 404 for every method."""

    @wraps(view)
    def wrapper(request, pk):
        return view(request, get_partner_contact_for_user(request.user, pk))

    return wrapper


def _today_at(contact):
    return timezone.localdate(timezone=contact.participant.site.tzinfo)


def _search_query(request):
    # Codes are short; NUL characters would make PostgreSQL refuse the query.
    return request.GET.get("q", "").replace("\x00", "").strip()[:CODE_MAX]


def _render_detail(request, contact, entry_form=None, details_form=None, status=200):
    record(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        obj=contact,
        participant_id=contact.participant_id,
    )
    context = {
        "contact": contact,
        "entries": list(selectors.entries_of(contact)),
        "entry_form": entry_form or PartnerContactEntryForm(today=_today_at(contact)),
        "details_form": details_form
        or PartnerContactForm(initial=PartnerContactForm.initial_for(contact)),
    }
    return render(request, "participants/partner/contact_detail.html", context, status=status)


# /partner/


@never_cache
@partner_support_only
def contact_list(request):
    query = _search_query(request)
    contacts = selectors.partner_contact_list(request.user, query)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participants/partner/contact_list.html", {"page": page, "query": query})


@never_cache
@partner_support_only
def contact_new(request):
    status = 200
    if request.method == "POST":
        form = NewPartnerContactForm(request.POST, user=request.user)
        if form.is_valid():
            contact = services.create_partner_contact(
                participant=form.participant,
                safe_channel=form.cleaned_data["safe_channel"],
                safe_times=form.cleaned_data["safe_times"],
                consent_to_contact=form.cleaned_data["consent_to_contact"],
                by=request.user,
            )
            messages.success(request, _("The partner contact was created."))
            return redirect("partner:detail", pk=contact.pk)
        messages.error(request, _("Nothing was saved: correct the marked fields."))
        status = 400
    else:
        form = NewPartnerContactForm(user=request.user)
    return render(request, "participants/partner/contact_form.html", {"form": form}, status=status)


# /partner/<pk>/


@never_cache
@with_partner_contact
def contact_detail(request, contact):
    return _render_detail(request, contact)


@never_cache
@with_partner_contact
@require_POST
def entry_add(request, contact):
    form = PartnerContactEntryForm(request.POST, today=_today_at(contact))
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: correct the marked fields."))
        return _render_detail(request, contact, entry_form=form, status=400)
    services.add_partner_contact_entry(
        partner_contact=contact,
        contacted_on=form.cleaned_data["contacted_on"],
        notes=form.cleaned_data["notes"],
        by=request.user,
    )
    messages.success(request, _("The contact was recorded."))
    return redirect("partner:detail", pk=contact.pk)


@never_cache
@with_partner_contact
def contact_edit(request, contact):
    status = 200
    if request.method == "POST":
        form = PartnerContactForm(request.POST)
        if form.is_valid():
            services.update_partner_contact(
                partner_contact=contact, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The partner contact was saved."))
            return redirect("partner:detail", pk=contact.pk)
        messages.error(request, _("Nothing was saved: correct the marked fields."))
        status = 400
    else:
        form = PartnerContactForm(initial=PartnerContactForm.initial_for(contact))
        # The form shows the partner's details: that is a view of them.
        record(
            user=request.user,
            action=AuditEvent.Action.VIEW,
            obj=contact,
            participant_id=contact.participant_id,
        )
    return render(
        request,
        "participants/partner/contact_form.html",
        {"form": form, "contact": contact},
        status=status,
    )
