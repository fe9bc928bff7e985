"""Form fields that forgive: dates as people type them, messages in Chinese next to the field."""
from __future__ import annotations

from datetime import date

from wtforms import StringField
from wtforms.validators import ValidationError

from workflow.common.dates import PartialDate, parse_partial_date
from workflow.common.results import DomainError


class LenientDateField(StringField):
    """A date typed as 1975.3, 1975年3月, 1975-03-02, 19750302 … (workflow.common.dates.parse_partial_date).

    ``data`` is a ``date`` (the 1st of the month when no day was typed; ``partial`` keeps what was typed)
    or ``None`` when empty. With ``require_day=True`` a month alone is refused. What the person typed is
    kept in the box when the form fails, so nothing is lost.
    """

    def __init__(self, label=None, validators=None, require_day: bool = False, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("placeholder", "如 1975-03 或 1975.3")
        super().__init__(label, validators, **kwargs)
        self.require_day = require_day
        self.partial: PartialDate | None = None
        self.raw_text = ""

    def _value(self) -> str:
        if self.raw_text:
            return self.raw_text
        if isinstance(self.data, date):
            if self.partial is not None and not self.partial.has_day:
                return f"{self.data.year}-{self.data.month:02d}"
            return self.data.isoformat()
        return ""

    def process_formdata(self, valuelist):
        self.partial = None
        self.data = None
        if not valuelist:
            return
        self.raw_text = (valuelist[0] or "").strip()
        if not self.raw_text:
            return
        try:
            partial = parse_partial_date(self.raw_text)
        except DomainError as exc:
            raise ValueError(exc.message) from exc
        if self.require_day and not partial.has_day:
            raise ValueError(f"“{self.raw_text}”缺少日，请写成如1975-03-02")
        self.partial = partial
        self.data = partial.first_day


class NotAfter:
    """Validator: the date may not be later than a given day (e.g. today for a birth date)."""

    def __init__(self, latest: date | None = None, message: str = "日期不能晚于今天"):
        self.latest = latest
        self.message = message

    def __call__(self, form, field):
        latest = self.latest or date.today()
        if field.data is not None and field.data > latest:
            raise ValidationError(self.message)


# the name other areas import
DateField = LenientDateField
