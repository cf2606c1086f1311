import csv
import logging

from csp.constants import NONE, SELF
from csp.decorators import csp_update
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from newsletters.emails import issue_content, issue_message, render_issue
from newsletters.forms import IssueAdminForm
from newsletters.links import TEST_SUBSCRIBER, personal_links
from newsletters.models import Issue, IssueItem, Newsletter, Subscriber
from newsletters.services import (
    SendResult,
    digest_assemble,
    issue_schedule,
    issue_send,
    issue_unschedule,
    newsletter_delete,
)
from newsletters.views import IssuePreviewView
from newsroom.admin_widgets import SafeAutocompleteMixin
from newsroom.middleware import media_origin

logger = logging.getLogger(__name__)

SEND_PERMISSION = "newsletters.send_issue"
EXPORT_PERMISSION = "newsletters.export_subscriber"


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["name", "language", "active", "digest", "subscribers", "archive"]
    list_filter = ["active", "language", "digest"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "description",
        "language",
        "active",
        "position",
        "digest",
        "digest_time",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_subscriber_count()

    @admin.display(description=gettext_lazy("subscribers"), ordering="subscriber_count")
    def subscribers(self, obj):
        return obj.subscriber_count

    @admin.display(description=gettext_lazy("archive"))
    def archive(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Archive"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/digest/",
                view(self.digest_view),
                name="newsletters_newsletter_digest",
            ),
            *super().get_urls(),
        ]

    def digest_view(self, request, pk):
        """Assemble the day's digest now, as a draft to look over and send."""
        if request.method != "POST" or not request.user.has_perm(
            "newsletters.add_issue"
        ):
            raise PermissionDenied
        newsletter = get_object_or_404(Newsletter, pk=pk)
        issue = digest_assemble(newsletter=newsletter, send=False)
        if issue is None:
            messages.warning(
                request,
                _(
                    "No digest: nothing new was published in its language in the "
                    "last 24 hours, or today's digest exists already."
                ),
            )
            return redirect("admin:newsletters_newsletter_change", pk)
        if issue.created_by_id is None:
            Issue.objects.filter(pk=issue.pk).update(created_by=request.user)
        messages.success(request, _("Today's digest is ready as a draft."))
        return redirect("admin:newsletters_issue_change", issue.pk)

    def delete_model(self, request, obj):
        newsletter_delete(newsletter=obj)

    def delete_queryset(self, request, queryset):
        for newsletter in queryset:
            newsletter_delete(newsletter=newsletter)


class IssueItemInline(SafeAutocompleteMixin, admin.TabularInline):
    model = IssueItem
    autocomplete_fields = ["article"]
    fields = ["article", "position"]
    extra = 3

    def _editable(self, request, obj):
        return obj is None or obj.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(
            request, obj
        )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    inlines = [IssueItemInline]
    change_form_template = "admin/newsletters/issue/change_form.html"
    list_display = [
        "subject",
        "newsletter",
        "number",
        "status",
        "when",
        "sent_count",
        "failed_count",
        "unsubscribed_count",
    ]
    list_filter = ["status", "newsletter"]
    list_select_related = ["newsletter"]
    search_fields = ["subject", "introduction"]
    date_hierarchy = "created_at"

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.number else None

    @admin.display(description=gettext_lazy("when"))
    def when(self, obj):
        if obj.status == Issue.Status.SCHEDULED:
            return obj.scheduled_for
        return obj.started_at

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [
                "newsletter",
                "subject",
                "introduction",
                "pictures",
                "scheduled_for",
            ]
        return []

    def has_delete_permission(self, request, obj=None):
        # An issue being sent is finished first; a sent one may leave the archive.
        if obj is not None and obj.status == Issue.Status.SENDING:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = (extra_context or {}) | {
            "can_send": request.user.has_perm(SEND_PERMISSION)
        }
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra_context = (extra_context or {}) | {
            "can_send": request.user.has_perm(SEND_PERMISSION)
        }
        if issue is not None:
            extra_context |= {
                "report": issue.report(),
                "subscriber_count": issue.newsletter.subscriptions.count(),
            }
            if not issue.is_editable:
                extra_context |= {
                    "show_save": False,
                    "show_save_and_continue": False,
                    "show_save_and_add_another": False,
                }
        return super().change_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request, issue):
        """The buttons beside Save: each saves the form, then does its part."""
        here = reverse("admin:newsletters_issue_change", args=[issue.pk])
        if "_preview" in request.POST:
            return redirect("admin:newsletters_issue_preview", issue.pk)
        if "_test" in request.POST:
            return self._send_test(request, issue) or redirect(here)
        if "_send" in request.POST:
            return redirect("admin:newsletters_issue_send", issue.pk)
        if "_schedule" in request.POST:
            self._require_send_permission(request)
            result = issue_schedule(issue=issue, when=issue.scheduled_for)
            level = (
                messages.SUCCESS if result == SendResult.SCHEDULED else messages.ERROR
            )
            messages.add_message(request, level, result.label)
            return redirect(here)
        if "_unschedule" in request.POST:
            self._require_send_permission(request)
            if issue_unschedule(issue=issue):
                messages.success(request, _("The issue is a draft again."))
            return redirect(here)
        return None

    def _require_send_permission(self, request):
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied

    def _send_test(self, request, issue):
        from newsletters.tasks import issue_send_test

        if not request.user.email:
            messages.error(request, _("Your staff account has no email address."))
            return None
        issue_send_test.enqueue(issue.pk, request.user.pk)
        messages.success(
            request,
            _("A test is on its way to %(email)s.") % {"email": request.user.email},
        )
        return None

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                view(self.preview_view),
                name="newsletters_issue_preview",
            ),
            path(
                "<int:pk>/preview/email/",
                view(self.email_html_view),
                name="newsletters_issue_email_html",
            ),
            path(
                "<int:pk>/preview/web/",
                view(self.web_preview_view),
                name="newsletters_issue_web_preview",
            ),
            path("<int:pk>/send/", view(self.send_view), name="newsletters_issue_send"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk) -> Issue:
        issue = self.get_object(request, str(pk))
        if issue is None:
            raise Http404
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return issue

    @method_decorator(csp_update({"frame-src": [SELF]}))
    def preview_view(self, request, pk):
        """The email as a mail program shows it (in a frame), its plain-text
        part, its headers and its weight."""
        issue = self._issue(request, pk)
        links = personal_links(
            subscriber_id=TEST_SUBSCRIBER, newsletter_id=issue.newsletter_id
        )
        content = issue_content(issue=issue)
        message = issue_message(content, to=request.user.email or "", links=links)
        subject, text, _html = render_issue(content, links)
        context = self.admin_site.each_context(request) | {
            "title": _("Preview: %(subject)s") % {"subject": issue.subject},
            "issue": issue,
            "opts": self.model._meta,
            "subject": subject,
            "text": text,
            "headers": message.extra_headers,
            "size_kb": round(len(message.message().as_bytes()) / 1000),
            "left_out": content.left_out,
            "can_send": request.user.has_perm(SEND_PERMISSION),
        }
        return TemplateResponse(
            request, "admin/newsletters/issue/preview.html", context
        )

    @method_decorator(xframe_options_sameorigin)
    def email_html_view(self, request, pk):
        """The email's HTML alone, for the preview's frame: its styles are on
        its elements, as in every email, so this page alone allows them; no
        script runs."""
        issue = self._issue(request, pk)
        links = personal_links(
            subscriber_id=TEST_SUBSCRIBER, newsletter_id=issue.newsletter_id
        )
        _subject, _text, html = render_issue(
            issue_content(issue=issue, preview=True), links
        )
        response = HttpResponse(html)
        images = [SELF] + ([origin] if (origin := media_origin()) else [])
        response._csp_config = {
            "default-src": [NONE],
            "style-src": ["'unsafe-inline'"],
            "img-src": images,
            "frame-ancestors": [SELF],
            "base-uri": [NONE],
            "form-action": [NONE],
        }
        return response

    def web_preview_view(self, request, pk):
        """The issue's web version before it is sent."""
        issue = self._issue(request, pk)
        return IssuePreviewView.as_view()(request, pk=issue.pk)

    def send_view(self, request, pk):
        """“Send now”: one more look at what goes to whom, then the button."""
        self._require_send_permission(request)
        issue = self._issue(request, pk)
        here = reverse("admin:newsletters_issue_change", args=[issue.pk])
        if request.method == "POST":
            result = issue_send(issue=issue, user=request.user)
            level = messages.SUCCESS if result == SendResult.STARTED else messages.ERROR
            messages.add_message(request, level, result.label)
            return redirect(here)
        if not issue.is_editable:
            messages.error(request, SendResult.NOT_EDITABLE.label)
            return redirect(here)
        context = self.admin_site.each_context(request) | {
            "title": _("Send “%(subject)s” now?") % {"subject": issue.subject},
            "issue": issue,
            "opts": self.model._meta,
            "subscriber_count": issue.newsletter.subscriptions.count(),
            "left_out": issue_content(issue=issue, preview=True).left_out,
            "now": timezone.now(),
        }
        return TemplateResponse(request, "admin/newsletters/issue/send.html", context)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Addresses, for staff an administrator trusts with them (editors do not
    see them). Nobody adds or edits one here: an address comes from its owner's
    confirmation, and goes for good when deleted."""

    list_display = ["email", "newsletter_list", "user", "created_at"]
    list_filter = ["subscriptions__newsletter"]
    search_fields = ["email"]
    readonly_fields = ["email", "user", "created_at"]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .prefetch_related("subscriptions__newsletter")
            .annotate(newsletter_count=Count("subscriptions"))
        )

    @admin.display(description=gettext_lazy("newsletters"))
    def newsletter_list(self, obj):
        return ", ".join(s.newsletter.name for s in obj.subscriptions.all())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm(EXPORT_PERMISSION)

    @admin.action(
        permissions=["export"],
        description=gettext_lazy("Export the selected addresses (CSV)"),
    )
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(["email", "newsletters", "confirmed"])
        rows = 0
        for subscriber in queryset:
            writer.writerow(
                [
                    subscriber.email,
                    "; ".join(
                        s.newsletter.slug for s in subscriber.subscriptions.all()
                    ),
                    subscriber.created_at.isoformat(),
                ]
            )
            rows += 1
        # Who exported how many, never which addresses.
        logger.info(
            "Subscriber export: %d addresses by staff id %s", rows, request.user.pk
        )
        return response
