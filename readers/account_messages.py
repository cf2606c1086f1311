"""django-allauth's and Django's own words that readers see on the account
pages: field labels, placeholders and errors. They are listed here so that this
project's catalogues (locale/) carry them: allauth ships no Sorani Kurdish
catalogue, its Arabic one does not use the words the rest of the site uses, and
Django's catalogues lack the password-length error Django 5.2 reworded. A
catalogue in LOCALE_PATHS wins over an app's, so the forms show these
translations. The account pages' templates are this project's own
(templates/account/). Nothing imports this module: makemessages reads it."""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

ACCOUNT_MESSAGES = [
    # Labels and placeholders (allauth/account/fields.py, forms.py).
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Password"),
    gettext_noop("Password (again)"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Remember Me"),
    gettext_noop("Username"),
    gettext_noop("Username or email"),
    gettext_noop("Forgot your password?"),
    pgettext_lazy("field label", "Login"),
    # Errors (allauth/account/adapter.py, forms.py).
    gettext_noop("You must type the same password each time."),
    gettext_noop("This account is currently inactive."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("The new value must be different from the current one."),
    gettext_noop("Be patient, you are sending too many requests."),
    # Django's MinimumLengthValidator (django/contrib/auth/password_validation.py).
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
]
