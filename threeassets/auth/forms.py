"""Forms for logging in and managing users (CSRF comes with FlaskForm)."""
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Optional

from threeassets.core.forms import Form, most


class LoginForm(Form):
    """Username and password."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), most(64, "用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])


class UserForm(Form):
    """Create or edit a user: role and scope (township or village)."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), most(64, "用户名")])
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), most(64, "姓名")])
    role = SelectField("角色", validators=[DataRequired("请选择角色")])
    township_id = SelectField("所属乡镇", coerce=lambda v: int(v) if v else None, validators=[Optional()])
    village_id = SelectField("所属村", coerce=lambda v: int(v) if v else None, validators=[Optional()])
    password = PasswordField("初始密码", validators=[Optional(), most(128, "初始密码")])
    active = BooleanField("启用", default=True)


class PasswordForm(Form):
    """Change one's own password: the current one, then the new one twice."""

    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    password = PasswordField("新密码", validators=[DataRequired("请输入新密码"), most(128, "新密码")])
    confirm = PasswordField("确认新密码", validators=[EqualTo("password", "两次输入的密码不一致")])
