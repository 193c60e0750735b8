"""The audit log's words for the 党务/政务 notices of the kiosk (their details are in Chinese already)."""
ACTIONS = {"kiosk.create": "新建公开公告", "kiosk.update": "修改公开公告", "kiosk.publish": "发布公开公告",
           "kiosk.withdraw": "撤回公开公告", "kiosk.redraft": "公开公告退回草稿", "kiosk.delete": "删除公开公告草稿",
           "kiosk.attach": "公开公告添加附件", "kiosk.detach": "公开公告删除附件"}
OBJECTS = {"KioskNotice": "公开公告"}
FIELDS = {}
