"""The audit log's words for attachments (core/audit_text.py)."""
ACTIONS = {"attachment.add": "上传附件"}
OBJECTS = {"Attachment": "附件"}
FIELDS = {"owner": "所属单据"}
