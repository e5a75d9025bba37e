"""Staff forms (Flask-WTF: every POST carries a CSRF token)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

NATIONAL_ID = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")
PHONE = re.compile(r"^\+?[0-9 ]{8,15}$")
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+$")


def no_national_id(_form, field) -> None:
    """Refuse anything that looks like an 11-digit national identity number (fødselsnummer)."""
    if field.data and NATIONAL_ID.search(field.data):
        raise ValidationError(
            _l("Do not use a national identity number. Use the case reference from your case system instead.")
        )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


def email_address(_form, field) -> None:
    """A plausible e-mail address (the mail server has the last word)."""
    if field.data and not EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Write a whole e-mail address, for example navn@eksempel.no."))


def mobile(_form, field) -> None:
    """A mobile number: 8 digits (Norway) or + and 8–15 digits."""
    if field.data and not PHONE.match(field.data.strip()):
        raise ValidationError(_l("Write the mobile number with digits only, for example 912 34 567."))


class InviteForm(FlaskForm):
    form_id = SelectField(_l("Form"), validators=[DataRequired()])
    case_ref = StringField(
        _l("Case reference (optional)"),
        validators=[Optional(), Length(max=60), no_national_id],
        description=_l("Your own reference, for example 2024/117. Never a national identity number."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    lang = SelectField(
        _l("Language of the form"),
        choices=[SelectChoice("nb", "Bokmål"), SelectChoice("nn", "Nynorsk"), SelectChoice("en", "English")],
    )
    email = EmailField(
        _l("Send the invitation by e-mail (optional)"),
        validators=[Optional(), Length(max=254), email_address],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    phone = StringField(
        _l("Send the invitation by SMS (optional)"),
        validators=[Optional(), Length(max=20), mobile],
        description=_l(
            "A mobile number, for example 912 34 567. The message has only the link and "
            "the code, never answers or health information."
        ),
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )


class MeetingForm(FlaskForm):
    meeting_at = DateField(_l("Date of the meeting"), validators=[DataRequired()])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by case reference"), validators=[Optional(), Length(max=60)])
