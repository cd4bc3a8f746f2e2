"""The workspace's photo form: the phone's camera (or its pictures) and a few words of what
the photo shows, Vietnamese first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.uploads import ImageUploadField


class PhotoForm(forms.Form):
    # accept="image/*" with capture opens the phone's rear camera; shop.uploads decides what
    # is really a picture (JPEG, PNG or WebP, re-encoded) whatever the phone sends.
    image = ImageUploadField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    alt_vi = forms.CharField(
        label=_("What the photo shows (Vietnamese)"),
        max_length=200,
        help_text=_("Read aloud to shoppers who cannot see the photo."),
    )
    alt_en = forms.CharField(
        label=_("What the photo shows (English, optional)"), max_length=200, required=False
    )
