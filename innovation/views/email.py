"""A member's choice of one email for each ideas update or a daily digest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from innovation import digests
from innovation.forms import EmailPreferenceForm
from innovation.models import EmailFrequency
from odp.web.pages import banner, bound, member_or_404


@login_required
def preference(request: HttpRequest) -> HttpResponse:
    member = member_or_404(request)
    form = EmailPreferenceForm(**bound(request), initial={"frequency": digests.frequency_of(member)})
    if request.method == "POST" and form.is_valid():
        frequency = form.cleaned_data["frequency"]
        digests.email_preference_set(member=member, frequency=frequency)
        detail = (
            "You will get one email each morning with the day’s updates."
            if frequency == EmailFrequency.DAILY
            else "You will get an email for each update."
        )
        banner(request, "Your email choice has been saved", detail)
        return redirect("ideas-mine")
    return render(request, "innovation/email_preference.html", {"form": form})
