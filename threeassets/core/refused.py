"""A small form refused on a page that holds several (a voucher's 退回 reason, a month's 反结账 reason, a
contract's 解除 date and reason …): the page is drawn again at once (422) with what was typed in its boxes and each
problem at its field, instead of a redirect that would empty the boxes. Templates read the Jinja global `refused`
(no refusal unless the route passes one)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Refused:
    """Which form was refused (a key unique on its page), what was typed in it, and each field's reason."""

    form: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    problems: Mapping[str, str] = field(default_factory=dict)

    def open(self, form: str) -> bool:
        """Whether this form is the refused one (a folded form is drawn open)."""
        return bool(self.form) and form == self.form

    def value(self, form: str, name: str, default: str = "") -> str:
        """What was typed in the field, or the default of a page drawn afresh."""
        return self.values.get(name, default) if self.open(form) else default

    def invalid(self, form: str, name: str) -> str:
        """The class that marks a refused field."""
        return " is-invalid" if self.open(form) and self.problems.get(name) else ""

    def problem(self, form: str, name: str) -> Markup:
        """The field's reason under it, or nothing."""
        if not (self.open(form) and self.problems.get(name)):
            return Markup("")
        return Markup('<div class="invalid-feedback d-block">%s</div>') % escape(self.problems[name])


NONE = Refused()


def refused(form: str, typed: Mapping[str, str], names: Iterable[str], problems: Mapping[str, str] | None = None,
            ) -> Refused:
    """The refusal of `form`: the posted values of its fields `names` as typed, and the problems by field."""
    return Refused(form, {n: typed.get(n, "") for n in names}, dict(problems or {}))
