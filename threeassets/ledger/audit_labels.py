"""The audit log's words for the chart, vouchers and opening balances (core/audit_text.py)."""
ACTIONS = {"account.create": "增设科目", "account.rename": "科目更名", "account.delete": "删除科目",
           "voucher.create": "录入凭证", "voucher.edit": "修改凭证", "voucher.update": "修改凭证",
           "voucher.delete": "删除凭证", "voucher.review": "审核凭证", "voucher.send_back": "退回制单人（标错）",
           "voucher.unreview": "取消审核",
           "voucher.post": "凭证记账", "voucher.reverse": "红字冲销", "voucher.import": "导入凭证",
           "opening.save": "保存期初余额", "opening.adjust": "清产核资调整"}
OBJECTS = {"Voucher": "凭证", "Account": "会计科目", "OpeningStart": "期初余额", "OpeningAdjustment": "清产核资调整"}
KINDS = {"normal": "普通凭证", "depreciation": "计提折旧", "year_close": "年结", "reversal": "红字冲销",
         "opening": "期初", "accrual": "合同应收", "receipt": "合同收款"}
FIELDS = {"voucher:kind": ("凭证类别", KINDS), "voucher:posted": "直接记账", "voucher:generated": "系统生成",
          "voucher:head_seq": "链尾序号", "voucher:head_hash": "链尾哈希", "voucher:reverses": "冲销的凭证",
          "voucher:label": "凭证", "voucher:vouchers": "凭证数", "voucher:lines": "分录行数",
          "opening:start": "建账月份", "opening:balanced": "试算平衡", "opening:seal": "封存摘要",
          "opening:year_debit": "年初余额（借）", "opening:year_credit": "年初余额（贷）",
          "opening:ytd_debit": "累计借方", "opening:ytd_credit": "累计贷方", "opening:debit": "借方科目",
          "opening:credit": "贷方科目", "opening:kind": "调整类别"}
