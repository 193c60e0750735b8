"""Flask extensions, created once and bound in create_app.

Flask-Login's own session protection is off: its "strong" mode does nothing for a permanent session (it only
marks it not fresh), and the app's logins are checked on the server instead (auth.service.check_login: ended,
past 8 hours, or from another browser)."""
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录"
login_manager.login_message_category = "warning"
login_manager.session_protection = None
