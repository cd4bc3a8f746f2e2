"""English strings of Django and django-countries whose Vietnamese in those packages is wrong
on pages our shoppers and cooperative staff see: "Enter a whole number." reads "enter an
overall number", Iceland shows as Ireland ("Ai-len"), Jersey as a garment ("Áo"), Niger as
Nigeria, Réunion as "reunion" ("Đoàn tụ"), Eswatini as a language ("Tiếng Swaziland").

Nothing imports this module: marking the strings here is what puts them in
shop/locale/vi/LC_MESSAGES/django.po (makemessages reads every .py file), and Django reads
LOCALE_PATHS before the packages' own catalogues, so our Vietnamese wins.
"""

from django.utils.translation import gettext_noop

FORM_ERRORS = (
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
)

COUNTRY_NAMES = (
    gettext_noop("Eswatini"),
    gettext_noop("Iceland"),
    gettext_noop("Jersey"),
    gettext_noop("Libya"),
    gettext_noop("Niger"),
    gettext_noop("Palestine"),
    gettext_noop("Réunion"),
)
