"""The audit log's words for logins and users (core/audit_text.py)."""
from threeassets.auth.rules import ROLE_LABELS

ACTIONS = {"login": "登录", "login.failed": "登录失败", "login.locked": "登录暂停（尝试过多）", "logout": "退出登录",
           "user.create": "新增用户", "user.update": "修改用户", "user.password": "修改密码",
           "user.logins_end": "结束登录会话"}
OBJECTS = {"User": "用户"}
FIELDS = {"username": "用户名", "role": ("角色", ROLE_LABELS), "active": ("启用", {}), "township_id": "所属乡镇",
          "village_id": "所属村", "ended": "结束的会话", "logins_ended": "结束的会话", "wait_seconds": "需等待（秒）",
          "display_name": "姓名"}
