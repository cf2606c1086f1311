from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from newsletters.emails import subscription_confirmation_send
from newsletters.forms import ChooseNewslettersForm, SubscribeForm
from newsletters.links import (
    confirm_link_resolve,
    manage_link_create,
    manage_link_resolve,
    unsubscribe_link_resolve,
)
from newsletters.models import Issue, IssueItem, Newsletter, Subscriber
from newsletters.services import (
    account_address,
    account_subscriptions_set,
    normalise_email,
    subscription_cancel,
    subscription_confirm,
    subscriptions_set,
)
from newsroom.ratelimits import LimitedAction, rate_limit_wait, too_many_requests

ARCHIVE_PAGE_SIZE = 20
BAD_LINK = (signing.BadSignature, ValueError, TypeError)


def link_invalid(request, message: str, *, status=404):
    return render(
        request, "newsletters/link_invalid.html", {"message": message}, status=status
    )


@require_http_methods(["GET", "POST"])
def subscribe_view(request):
    """The newsletters on offer and the form to subscribe. Whatever the address
    (new, subscribed already, or sent a link a minute ago), the answer is the
    same page: the form tells no one who reads what."""
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "newsletters": Newsletter.objects.offered().filter(
                slug=request.GET.get("newsletter", "")
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        # Per network, generous (readers share addresses); past it, a 429.
        if not ratelimit.consume(request, action="newsletter_subscribe"):
            wait = rate_limit_wait(request, action="newsletter_subscribe")
            return too_many_requests(
                request, wait=wait, action=LimitedAction.NEWSLETTER_SUBSCRIBE
            )
        email = normalise_email(form.cleaned_data["email"])
        # Per destination: at most one confirmation email every few minutes,
        # so the form cannot flood anyone's inbox. Past it, nothing is sent and
        # the answer is the same.
        if not form.is_bot and ratelimit.consume(
            request, action="newsletter_confirm", key=email
        ):
            subscription_confirmation_send(
                email=email, newsletters=form.cleaned_data["newsletters"]
            )
        return redirect("newsletters:subscribe_sent")
    return render(
        request,
        "newsletters/subscribe.html",
        {"form": form, "newsletters": Newsletter.objects.offered()},
    )


def subscribe_sent_view(request):
    return render(
        request,
        "newsletters/subscribe_sent.html",
        {"expire_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS},
    )


@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    """The link in the confirmation email: a button (link scanners that only
    GET confirm nothing), then the subscription."""
    try:
        wanted = confirm_link_resolve(token=token)
    except signing.SignatureExpired:
        return link_invalid(
            request,
            _("This confirmation link has expired. Subscribe again for a new one."),
        )
    except BAD_LINK:
        return link_invalid(request, _("This confirmation link is not valid."))
    newsletters = Newsletter.objects.offered().filter(pk__in=wanted.newsletter_ids)
    if request.method == "POST":
        subscriber = subscription_confirm(
            email=wanted.email, newsletter_ids=wanted.newsletter_ids
        )
        if subscriber is None:
            return link_invalid(
                request, _("These newsletters are no longer offered."), status=410
            )
        return render(
            request,
            "newsletters/confirmed.html",
            {
                "newsletters": newsletters,
                "manage_url": manage_link_create(subscriber_id=subscriber.pk),
            },
        )
    return render(request, "newsletters/confirm.html", {"newsletters": newsletters})


@require_http_methods(["GET", "POST"])
def manage_view(request, token):
    """An address's subscriptions, from the link in every issue: no login."""
    try:
        link = manage_link_resolve(token=token)
    except BAD_LINK:
        return link_invalid(request, _("This link is not valid."))
    if link.is_test:
        return render(request, "newsletters/test_link.html")
    subscriber = Subscriber.objects.filter(pk=link.subscriber_id).first()
    if subscriber is None:
        return link_invalid(
            request,
            _("This address has no subscription any more, and we keep no trace of it."),
            status=410,
        )
    current = Newsletter.objects.filter(subscriptions__subscriber=subscriber)
    # Unticking every box posts no choice at all: still a bound form.
    data = request.POST if request.method == "POST" else None
    form = ChooseNewslettersForm(data, current=current)
    if request.method == "POST" and form.is_valid():
        chosen = [] if "_all" in request.POST else form.cleaned_data["newsletters"]
        kept = subscriptions_set(
            subscriber=subscriber, newsletters=chosen, issue_id=link.issue_id
        )
        if kept is None:
            return render(request, "newsletters/unsubscribed.html", {"all": True})
        messages.success(request, _("Your newsletters are saved."))
        return redirect(request.path)
    return render(
        request,
        "newsletters/manage.html",
        {"form": form, "masked_email": subscriber.masked_email},
    )


@csrf_exempt  # the signed link is the credential; mail clients post without a form
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """One click from the mail program (a POST, RFC 8058) or one button on this
    page; a GET alone (link scanners) changes nothing."""
    try:
        link = unsubscribe_link_resolve(token=token)
    except BAD_LINK:
        return link_invalid(request, _("This unsubscribe link is not valid."))
    newsletter = get_object_or_404(Newsletter, pk=link.newsletter_id)
    if link.is_test:
        return render(request, "newsletters/test_link.html")
    if request.method == "POST":
        subscription_cancel(
            subscriber_id=link.subscriber_id,
            newsletter_id=newsletter.pk,
            issue_id=link.issue_id,
        )
        still_subscribed = Subscriber.objects.filter(pk=link.subscriber_id).exists()
        return render(
            request,
            "newsletters/unsubscribed.html",
            {
                "newsletter": newsletter,
                "manage_url": manage_link_create(subscriber_id=link.subscriber_id)
                if still_subscribed
                else None,
            },
        )
    return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter})


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    """A reader's newsletters in their account settings: their confirmed
    address needs no second confirmation."""
    user = request.user
    email = account_address(user=user)
    subscriber = Subscriber.objects.filter(user=user).first()
    current = (
        Newsletter.objects.filter(subscriptions__subscriber=subscriber)
        if subscriber
        else Newsletter.objects.none()
    )
    data = request.POST if request.method == "POST" else None
    form = ChooseNewslettersForm(data, current=current)
    if request.method == "POST" and email and form.is_valid():
        account_subscriptions_set(
            user=user, newsletters=form.cleaned_data["newsletters"]
        )
        messages.success(request, _("Your newsletters are saved."))
        return redirect("newsletters:account")
    return render(request, "newsletters/account.html", {"form": form, "email": email})


class ArchiveView(ListView):
    """A newsletter's past issues, newest first."""

    template_name = "newsletters/archive.html"
    context_object_name = "issues"
    paginate_by = ARCHIVE_PAGE_SIZE

    def get_queryset(self):
        self.newsletter = get_object_or_404(Newsletter, slug=self.kwargs["slug"])
        return self.newsletter.issues.for_archive()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"newsletter": self.newsletter}


class IssueView(DetailView):
    """An issue's web version: the articles still public now (one taken down
    since, or a picture deleted since, is left out)."""

    template_name = "newsletters/issue_detail.html"
    context_object_name = "issue"
    is_preview = False

    @staticmethod
    def with_public_items(issues):
        """The issue and its public items with their pictures: two queries."""
        return issues.select_related("newsletter").prefetch_related(
            Prefetch("items", queryset=IssueItem.objects.public(), to_attr="public")
        )

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.with_public_items(Issue.objects.published()),
            newsletter__slug=self.kwargs["slug"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        issue = self.object
        return super().get_context_data(**kwargs) | {
            "newsletter": issue.newsletter,
            "items": issue.public,
            "paragraphs": issue.introduction_paragraphs(),
            "subscribe_url": reverse("newsletters:subscribe")
            + f"?newsletter={issue.newsletter.slug}",
            "issue_preview": self.is_preview,
        }


class IssuePreviewView(IssueView):
    """Any issue's web version, for staff (the admin's preview)."""

    is_preview = True

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.with_public_items(Issue.objects.all()), pk=self.kwargs["pk"]
        )
