"""Catalogue: one lookup of the request's translations, the same text as Flask-Babel's."""

import pytest
from flask import render_template_string, session
from flask_babel import refresh

from kiosk.checkin.questions import OPTIONS, TITLES
from kiosk.i18n import Catalogue, LazyMessage, _l

TEMPLATE = (
    '{{ _("Passer") }}|{{ _("Question %(n)s sur %(total)s", n=name, total=3) }}|'
    '{{ ngettext("%(num)d mois", "%(num)d mois", months) }}|{{ _("Valider") }}'
)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_templates_read_the_same_with_the_catalogue(app, lang):
    with app.test_request_context():
        session["lang"] = lang
        refresh()
        values = {"name": "<b>2</b>", "months": 24}  # a value to escape, a plural
        expected = render_template_string(TEMPLATE, **values)
        got = render_template_string(TEMPLATE, **values, **Catalogue().template_functions())
    assert got == expected
    assert "&lt;b&gt;2&lt;/b&gt;" in got


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_lazy_messages_read_the_same_through_the_catalogue(app, lang):
    with app.test_request_context():
        session["lang"] = lang
        refresh()
        translate = Catalogue()
        for message in [TITLES["gender"], *(label for _v, label, _i in OPTIONS["age_band"])]:
            assert isinstance(message, LazyMessage)
            assert translate(message) == str(message)
        with_variables = _l("Question %(n)s sur %(total)s", n=1, total=4)
        assert translate(with_variables) == str(with_variables)
        assert translate("Quartier Sanitas") == "Quartier Sanitas"  # a name is shown as it is
        assert translate(None) is None
    if lang == "en":
        assert translate(TITLES["gender"]) != str(TITLES["gender"].message)  # really translated
