"""The admin's last English: form fields Wagtail 8.0.1 leaves without a translatable label, and
the account screen's language list.

Django makes a label from the field's name ("password" -> "Password") without gettext, so no
catalogue can translate it. These give the same words as translatable labels (the catalogues in
locale/ have them); a user who chose English still reads English. Called once from
`HomeConfig.ready()`; form classes' `base_fields` are copied into every form instance.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Wagtail names each language in itself ("English"); a Vietnamese reader is told which it is.
LANGUAGE_LABELS = {"en": "English (Tiếng Anh)"}


def label_unlabelled_wagtail_fields() -> None:
    from wagtail.admin.forms import account
    from wagtail.admin.forms.auth import LoginForm
    from wagtail.admin.forms.choosers import EmailLinkChooserForm
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.users.forms import PagePermissionsForm

    LoginForm.base_fields["password"].label = _("Password")
    EmailLinkChooserForm.base_fields["email_address"].label = _("Email address")
    PagePermissionsForm.base_fields["page"].label = _("Page")
    WorkflowPageForm.base_fields["page"].label = _("Page")

    wagtail_choices = account._get_language_choices

    def language_choices():
        return [(code, LANGUAGE_LABELS.get(code, name)) for code, name in wagtail_choices()]

    # A callable, as Wagtail's own: evaluated per form, after the active language is known.
    account.LocalePreferencesForm.base_fields["preferred_language"].choices = language_choices
