from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from readers.forms import DeleteAccountForm, ReaderSettingsForm
from readers.models import Reader
from readers.services import reader_delete, unsubscribe_token_resolve


@login_required
def settings_view(request):
    reader, _created = Reader.objects.get_or_create(
        user=request.user, defaults={"display_name": request.user.get_username()}
    )
    form = ReaderSettingsForm(request.POST or None, instance=reader)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("readers:settings")
    return render(request, "readers/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        reader_delete(user=user)
        messages.success(request, _("Your account is deleted."))
        return redirect("articles:home")
    return render(request, "readers/delete_account.html", {"form": form})


@csrf_exempt  # the signed token is the credential; mail clients post without a form
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """One click from the email (a POST from the mail client, RFC 8058), or one
    button on this page: link scanners that only GET change nothing."""
    try:
        reader = unsubscribe_token_resolve(token=token)
    except (signing.BadSignature, Reader.DoesNotExist):
        raise Http404("This unsubscribe link is not valid.") from None
    if request.method == "POST":
        Reader.objects.filter(pk=reader.pk).update(notify_replies=False)
        return render(request, "readers/unsubscribed.html")
    return render(request, "readers/unsubscribe.html", {"reader": reader})
