"""Forms of the disclosure pages (CSRF comes with FlaskForm); business rules are checked by rules.py."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from threeassets.core.forms import DayField, Form, most

LAYOUT_CHOICES = [SelectChoice("a4", "A4 竖版（每村一份，按内容分页）"), SelectChoice("a3", "A3 横版（公开栏张贴）")]


class GenerateForm(Form):
    """生成公开榜: a month (YYYY-MM) or a quarter (YYYY-Qn) and the paper layout."""

    period = StringField("公开期间", validators=[InputRequired("请填写公开期间"), most(12, "公开期间")])
    layout = SelectField("版式", choices=LAYOUT_CHOICES, default="a4")


class RegenerateForm(Form):
    """Regenerate a draft from the books, with the 其他事项 free text and the layout."""

    other = TextAreaField("其他事项", validators=[Optional(), most(1000, "其他事项")])
    layout = SelectField("版式", choices=LAYOUT_CHOICES, default="a4")


class SignoffForm(Form):
    """民主理财小组 sign-off: names of the members, the date, remarks."""

    names = StringField("签字成员姓名", validators=[Optional(), most(200, "签字成员姓名")])
    signoff_on = DayField("签字日期", validators=[Optional()])
    remarks = TextAreaField("审核意见", validators=[Optional(), most(500, "审核意见")])


class SendBackForm(Form):
    """Send the notice back to the agency with what must change."""

    remarks = TextAreaField("退回意见", validators=[Optional(), most(500, "退回意见")])


class PublishForm(Form):
    """公布: the posting date and the end of the display period."""

    posted_on = DayField("张贴公布日期", validators=[Optional()])
    display_until = DayField("公示截止日期", validators=[Optional()])


class BatchForm(Form):
    """A township's run: period and layout."""

    period = StringField("公开期间", validators=[InputRequired("请填写公开期间"), most(12, "公开期间")])
    layout = SelectField("版式", choices=LAYOUT_CHOICES, default="a4")


class CheckCopyForm(Form):
    """The PDF copy a villager (or anyone) wants to compare with the published one."""

    file = FileField("选择要核对的PDF文件")
