"""The base of every form: flask-wtf's CSRF, and WTForms' own messages in Chinese."""
from __future__ import annotations

from flask_wtf import FlaskForm


class Form(FlaskForm):
    """WTForms' built-in messages ("Not a valid choice." …) from its bundled Chinese catalogue, so a form never
    answers in English (``WTF_I18N_ENABLED = False`` in the config: no Flask-Babel, WTForms' own locales)."""

    class Meta:
        locales = ("zh",)


class ConfirmForm(Form):
    """An empty form: its CSRF token is what a POST button needs."""
