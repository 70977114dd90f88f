from django.http import Http404
from django.shortcuts import render

from . import access
from .selectors import groups_for_home


def group_list(request):
    if not access.works_with_men(request.user):
        raise Http404
    return render(request, "programmes/group_list.html", {"groups": groups_for_home(request.user)})
