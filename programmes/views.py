from django.shortcuts import render

from .selectors import groups_for_home


def group_list(request):
    return render(request, "programmes/group_list.html", {"groups": groups_for_home(request.user)})
