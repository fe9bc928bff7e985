"""The base of every form: flask-wtf's CSRF, and every built-in message in the app's own Chinese.

WTForms' generic messages ("不是有效的日期值。", "字段长度不能超过 100 个字符。") do not say which field or what to
write; here each one names the field and what to fix ("出生年月应为日期，如 2026-03-02"). A message of the library
that has no wording of ours falls back to its bundled Chinese catalogue, so a form never answers in English.

Every text a form takes (names, units, reasons …, passwords aside) is refused when it holds an invisible direction
control or zero-width character (``workflow.common.text``): a name with a right-to-left override would be stored and
printed reversed, one with a zero-width space would differ from the name it looks identical to."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, PasswordField
from wtforms.i18n import get_translations

from workflow.common.text import hidden_message

LABEL = "{label}"  # replaced by the field's name once the form has validated
DATE_EXAMPLE = "如 2026-03-02"
MESSAGES: dict[str, str] = {
    "This field is required.": "请填写" + LABEL,
    "Field must be at least %(min)d character long.": LABEL + "至少需要%(min)d个字符",
    "Field cannot be longer than %(max)d character.": LABEL + "不能超过%(max)d个字符（现有%(length)d个），请删减",
    "Field must be exactly %(max)d character long.": LABEL + "应为%(max)d个字符",
    "Field must be between %(min)d and %(max)d characters long.": LABEL + "应为%(min)d至%(max)d个字符",
    "Number must be at least %(min)s.": LABEL + "不能小于%(min)s",
    "Number must be at most %(max)s.": LABEL + "不能大于%(max)s",
    "Number must be between %(min)s and %(max)s.": LABEL + "应在%(min)s至%(max)s之间",
    "Field must be equal to %(other_name)s.": LABEL + "与%(other_label)s不一致，请重新输入",
    "Invalid input.": LABEL + "填写有误，请检查",
    "Invalid email address.": LABEL + "不是有效的电子邮箱地址",
    "Invalid value, must be one of: %(values)s.": LABEL + "只能是：%(values)s",
    "Invalid value, can't be any of: %(values)s.": LABEL + "不能是：%(values)s",
    "Not a valid choice.": "请从列表中选择" + LABEL,
    "Invalid Choice: could not coerce.": "请从列表中选择" + LABEL,
    "Invalid choice(s): one or more data inputs could not be coerced.": "请从列表中选择" + LABEL,
    "'%(value)s' is not a valid choice for this field.": "“%(value)s”不在" + LABEL + "的可选项中，请从列表中选择",
    "Not a valid datetime value.": LABEL + "应为日期和时间，如 2026-03-02 09:30",
    "Not a valid date value.": LABEL + "应为日期，" + DATE_EXAMPLE,
    "Not a valid time value.": LABEL + "应为时间，如 09:30",
    "Not a valid week value.": LABEL + "应为日期，" + DATE_EXAMPLE,
    "Not a valid month value.": LABEL + "应为年月，如 2026-03",
    "Not a valid integer value.": LABEL + "应为整数，如 12",
    "Not a valid decimal value.": LABEL + "应为数字，如 12.5",
    "Not a valid float value.": LABEL + "应为数字，如 12.5",
    "Invalid CSRF Token.": "页面已过期，请刷新页面后重新提交",
    "CSRF token missing.": "页面已过期，请刷新页面后重新提交",
    "CSRF failed.": "页面已过期，请刷新页面后重新提交",
    "CSRF token expired.": "页面已过期，请刷新页面后重新提交",
}
_PLURALS = {  # ngettext's plural msgids share the singular's wording
    "Field must be at least %(min)d characters long.": "Field must be at least %(min)d character long.",
    "Field cannot be longer than %(max)d characters.": "Field cannot be longer than %(max)d character.",
    "Field must be exactly %(max)d characters long.": "Field must be exactly %(max)d character long.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' is not a valid choice for this field.",
}


class ClerkTranslations:
    """gettext/ngettext for WTForms: our wording first, the library's Chinese catalogue otherwise."""

    def __init__(self) -> None:
        self._fallback = get_translations(["zh"])

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string) or self._fallback.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return MESSAGES.get(singular) or self._fallback.ngettext(singular, plural, n)


TRANSLATIONS = ClerkTranslations()


def field_name(field) -> str:
    """The field's label as a noun: "所属推荐单位（推荐单位经办人必填）" → "所属推荐单位"."""
    text = (field.label.text if field.label else "") or "此项"
    return text.split("（")[0].rstrip("：:") or "此项"


def _name_errors(fields) -> None:
    for field in fields:
        if isinstance(field, FormField):
            _name_errors(field.form)
        elif isinstance(field, FieldList):
            _name_errors(field.entries)
        if isinstance(field.errors, list) and any(LABEL in str(e) for e in field.errors):
            field.errors = [str(e).replace(LABEL, field_name(field)) for e in field.errors]


def _refuse_hidden(fields) -> bool:
    """Add the hidden-character refusal to each text field that has one; False when any had."""
    ok = True
    for field in fields:
        if isinstance(field, FormField):
            ok = _refuse_hidden(field.form) and ok
        elif isinstance(field, FieldList):
            ok = _refuse_hidden(field.entries) and ok
        elif isinstance(field.data, str) and not isinstance(field, PasswordField):
            message = hidden_message(field_name(field), field.data)
            if message:
                field.errors = [*field.errors, message]
                ok = False
    return ok


class Form(FlaskForm):
    """Every built-in message in the app's Chinese, naming the field (``WTF_I18N_ENABLED = False`` in the config:
    no Flask-Babel, our own catalogue)."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return TRANSLATIONS

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = _refuse_hidden(self) and ok
        _name_errors(self)
        return ok


class ConfirmForm(Form):
    """An empty form: its CSRF token is what a POST button needs."""


def run_service(action, success: str) -> bool:
    """A page calls a service: its Chinese refusal is flashed (permission and not-found still become the 403/404
    pages), its success too; True when it went through."""
    from flask import flash

    from election.core.exceptions import NotFound, PermissionDenied, ServiceError

    try:
        action()
    except (PermissionDenied, NotFound):
        raise
    except ServiceError as exc:
        flash(exc.message, "danger")
        return False
    flash(success, "success")
    return True


def flash_form_errors(form) -> None:
    """Every message of a form that did not validate, flashed (for a page that redirects instead of re-rendering)."""
    from flask import flash

    for errors in form.errors.values():
        for e in errors:
            flash(e, "danger")
