"""An admin add view whose write goes through a domain service.

Django's add view saves the form's instance itself and has no place where an error raised
by the write can go back onto the form. Stock changes must be written by shop.inventory,
which decides under a row lock whether a change is allowed, so these admins replace the
add view: validate the form, call one service, and show a refused change as a form error
(nothing written) instead of a 500.
"""

from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from shop.inventory import InventoryError


class ServiceAddAdmin:
    """ModelAdmin mixin: subclasses implement `create_through_service` and `refusal`."""

    refused_errors: tuple[type[Exception], ...] = (InventoryError, ValidationError)

    def create_through_service(self, *, request, form) -> models.Model:
        raise NotImplementedError

    def refusal(self, *, error: Exception, form) -> str | list[str]:
        """The message shown on the form for a refused write."""
        if isinstance(error, ValidationError):
            return error.messages
        return str(error)

    def get_add_form(self, request):
        fieldsets = self.get_fieldsets(request)
        return self.get_form(request, None, change=False, fields=flatten_fieldsets(fieldsets))

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form_class = self.get_add_form(request)
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    obj = self.create_through_service(request=request, form=form)
                except self.refused_errors as error:
                    form.add_error(None, self.refusal(error=error, form=form))
                else:
                    self.log_addition(request, obj, [{"added": {}}])
                    return self.response_add(request, obj)
        else:
            form = form_class(initial=self.get_changeform_initial_data(request))
        admin_form = helpers.AdminForm(
            form,
            list(self.get_fieldsets(request)),
            self.get_prepopulated_fields(request),
            self.get_readonly_fields(request),
            model_admin=self,
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add %s") % self.opts.verbose_name,
            "subtitle": None,
            "adminform": admin_form,
            "object_id": None,
            "original": None,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": None,
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, add=True, form_url=form_url)
