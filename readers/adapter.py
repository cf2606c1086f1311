from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from readers.tasks import enqueue_email


class ReaderAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render as allauth does, but send through the worker: a slow or refused
        mail server never breaks sign-up with a 500, and the email is retried."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        } | context
        enqueue_email(self.render_mail(template_prefix, email, context))
