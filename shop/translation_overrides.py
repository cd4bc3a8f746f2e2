"""English strings of Django and django-countries whose Vietnamese in those packages is wrong
on pages our shoppers and cooperative staff see: "Enter a whole number." reads "enter an
overall number", Iceland shows as Ireland ("Ai-len"), Jersey as a garment ("Áo"), Niger as
Nigeria, Réunion as "reunion" ("Đoàn tụ"), Eswatini as a language ("Tiếng Swaziland"); and
whose Korean is wrong: the Seychelles read as Sicily ("시칠리"), the Cayman Islands carry a
stray "1", Türkiye keeps its old name, Burundi, Mongolia and Romania are misspelt;
and whose simplified Chinese is wrong: Samoa shows as American Samoa, Bosnia and
Herzegovina is cut short, Nepal, Tajikistan, Botswana and French Guiana are misspelt,
North Macedonia keeps its old name and the Comoros an old official one.

Nothing imports this module: marking the strings here is what puts them in
the catalogues in shop/locale (makemessages reads every .py file), and Django reads
LOCALE_PATHS before the packages' own catalogues, so our translations win.
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
    gettext_noop("Bosnia and Herzegovina"),
    gettext_noop("Botswana"),
    gettext_noop("Burundi"),
    gettext_noop("Cayman Islands"),
    gettext_noop("Comoros"),
    gettext_noop("Eswatini"),
    gettext_noop("French Guiana"),
    gettext_noop("Iceland"),
    gettext_noop("Jersey"),
    gettext_noop("Libya"),
    gettext_noop("Mongolia"),
    gettext_noop("Nepal"),
    gettext_noop("Niger"),
    gettext_noop("North Macedonia"),
    gettext_noop("Palestine"),
    gettext_noop("Romania"),
    gettext_noop("Réunion"),
    gettext_noop("Samoa"),
    gettext_noop("Seychelles"),
    gettext_noop("Tajikistan"),
    gettext_noop("Türkiye"),
)
