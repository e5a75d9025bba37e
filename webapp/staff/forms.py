"""Staff forms (Flask-WTF: every POST carries a CSRF token)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

NATIONAL_ID = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")


def no_national_id(_form, field) -> None:
    """Refuse anything that looks like an 11-digit national identity number (fødselsnummer)."""
    if field.data and NATIONAL_ID.search(field.data):
        raise ValidationError(_l("Do not use a national identity number. Use the case reference from "
                                 "your case system instead."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class InviteForm(FlaskForm):
    form_id = SelectField(_l("Form"), validators=[DataRequired()])
    case_ref = StringField(_l("Case reference (optional)"), validators=[Optional(), Length(max=60),
                                                                          no_national_id],
                           description=_l("Your own reference, for example 2024/117. Never a national "
                                          "identity number."),
                           render_kw={"autocomplete": "off", "spellcheck": "false"})
    lang = SelectField(_l("Language of the form"), choices=[SelectChoice("nb", "Bokmål"), SelectChoice("nn", "Nynorsk"),
                                                            SelectChoice("en", "English")])


class MeetingForm(FlaskForm):
    meeting_at = DateField(_l("Date of the meeting"), validators=[DataRequired()])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by case reference"), validators=[Optional(), Length(max=60)])
