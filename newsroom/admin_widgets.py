"""Admin autocomplete that survives a value that is no key at all.

Django's autocomplete widgets look the submitted value up to show it again when
a form comes back with errors; a value that is not a key ("abc", a NUL byte)
makes that lookup raise, and the editor gets a 500 instead of the form's own
"Select a valid choice". These widgets show only values that can be keys.
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class _KeysOnly:
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._is_key(v)], attr)

    def _is_key(self, value) -> bool:
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        if "\x00" in str(value):
            return False
        try:
            target.get_prep_value(target.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return False
        return True


class AutocompleteSelect(_KeysOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_KeysOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """For ModelAdmins and inlines with autocomplete_fields: the widgets above
    instead of Django's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
