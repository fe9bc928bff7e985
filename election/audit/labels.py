"""The audit log in the clerk's words: every action code, object kind and recorded field as Chinese."""
from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # 账号
    "user.login": "登录", "user.logout": "退出登录", "user.locked": "账号锁定", "user.first_admin": "创建首个管理员",
    "user.create": "新建用户", "user.bulk_create": "批量新建用户", "user.update": "修改用户", "user.unlock": "解锁账号",
    "user.reset_password": "重置密码", "user.change_password": "修改本人密码", "user.enable": "启用账号",
    "user.disable": "停用账号", "api_token.create": "创建API令牌", "api_token.revoke": "撤销API令牌",
    # 选举设置与阶段
    "election.create": "新建选举", "election.update": "修改工作方案", "election.allocations": "分配名额",
    "election.timeline": "修改时间安排", "election.decision": "登记会议决定", "election.advance": "推进阶段",
    "election.return": "退回阶段", "election.abort": "终止选举", "unit.exempt": "免于提交推荐名单",
    # 推荐提名
    "nominations.add": "添加推荐人选", "nominations.update": "修改推荐名单", "nominations.delete": "删除推荐人选",
    "nominations.submit": "提交推荐名单", "nominations.reopen": "退回推荐名单", "nominations.statistics": "登记推荐统计",
    "nominations.duplicate_refused": "拒绝重复推荐", "nominations.import": "导入推荐名单",
    # 考察与公示
    "vetting.shortlist": "确定考察对象", "vetting.preliminary": "确定初步人选", "vetting.assign": "分配考察组",
    "vetting.record": "登记考察记录", "vetting.discipline": "登记纪检意见", "vetting.conclude": "作出考察结论",
    "notice.create_first": "起草第一次公示", "notice.create_second": "起草第二次公示", "notice.publish": "发布公示",
    "notice.end": "结束公示", "notice.update": "修改公示草稿", "notice.delete": "删除公示草稿", "complaint.register": "登记信访举报", "complaint.assign": "分派信访核查",
    "complaint.check": "登记核查情况", "complaint.conclude": "作出核查结论",
    "wording.save": "修改公文措辞", "wording.reset": "恢复默认公文措辞",
    # 差额选举
    "voting.confirm_meeting": "登记预备人选会议", "voting.approval_list": "登记预备人选名单",
    "voting.higher_nominee": "登记上级提名人选", "voting.plan": "制定投票安排", "voting.scrutineer": "登记监票计票人员",
    "voting.open_round": "开始投票轮次", "voting.close_round": "结束投票轮次", "voting.enter_totals": "录入计票结果",
    "voting.enter_ballot": "录入选票", "voting.confirm_count": "确认计票结果", "voting.result": "确定选举结果",
    "voting.report": "上报选举结果",
    # 组织机构、日历、后台任务、提醒
    "directory.create": "新增组织", "directory.update": "修改组织", "directory.retire": "撤销组织",
    "directory.reinstate": "恢复组织", "directory.delete": "删除组织", "directory.import": "导入组织机构",
    "calendar.set_year": "设置节假日", "calendar.import_notice": "按通知导入节假日", "task.start": "启动后台任务",
    "reminders.daily": "每日提醒", "duties.reminders.daily": "履职每日提醒",
    # 代表履职
    "duties.activity.log": "登记履职活动", "duties.activity.verify": "核实履职活动", "duties.activity.return": "退回履职活动",
    "duties.petition.register": "登记群众诉求", "duties.petition.move": "办理群众诉求",
    "duties.proposal.create": "提交提案", "duties.proposal.reply": "登记提案答复", "duties.proposal.assess": "评价提案办理",
    "duties.review.summary": "提交年度述职", "duties.review.rate": "年度评议评定", "duties.model.propose": "推荐履职标兵",
    "duties.model.decide": "确定履职标兵", "duties.delegate.status": "变更代表资格", "duties.by_election.start": "发起补选",
    "duties.delegates.import": "导入代表名册", "duties.delegates.transfer": "转入代表名册",
    "duties.delegates.assign": "分配工作室和代表小组", "duties.ruleset.version": "修改履职规则", "duties.ruleset.assign": "指定履职规则",
    # 上级选举的设置（名额、结构、时间安排、下发、市委提名人选）
    "levels.congress_create": "创建上级选举", "levels.congress_update": "修改上级选举",
    "levels.allocations": "分配选举单位名额", "levels.children": "下发选举单位的选举",
    "levels.child_create": "上级下发选举", "levels.child_link": "关联到上级选举", "levels.child_update": "上级下达修改",
    "levels.child_higher": "上级分配上级提名人选", "levels.nominee_add": "登记市委提名人选",
    "levels.nominee_update": "修改市委提名人选", "levels.nominee_delete": "删除市委提名人选",
    "levels.nominee_assign": "分配市委提名人选",
    "levels.report.submit": "向上级报送", "levels.report.review": "上级初步审查", "levels.report.approve": "上级作出决定",
    "levels.report.return": "上级退回报送材料",
    "assembly.proposal.review": "审查会议提案",  # 年会：提案立案审查 (election.assembly.services.proposals)
    # 年会：决议与整改、闭会期间列席与询问质询 (election.assembly.services.followup, between)
    "assembly.resolution.add": "登记决议", "assembly.resolution.edit": "修改决议",
    "assembly.resolution.report": "登记决议落实情况", "assembly.followup.create": "提出整改事项",
    "assembly.followup.progress": "登记整改进展", "assembly.followup.edit": "修改整改责任单位或期限",
    "assembly.sitin.create": "安排代表列席会议", "assembly.sitin.invite": "邀请代表列席",
    "assembly.sitin.attendance": "登记列席情况", "assembly.inquiry.register": "登记询问质询",
    "assembly.inquiry.reply": "登记询问质询答复",
    # 年会：会议筹备、议程、列席、材料、通知、签到、召开、分组 (election.assembly.services.sessions, attendance …)
    "assembly.session.create": "筹备年会", "assembly.session.update": "修改年会信息",
    "assembly.agenda.add": "增加议程事项", "assembly.agenda.update": "修改议程事项",
    "assembly.agenda.delete": "删除议程事项", "assembly.agenda.move": "调整议程顺序",
    "assembly.guest.add": "增加列席人员", "assembly.guest.remove": "删除列席人员",
    "assembly.material.upload": "上传会议材料", "assembly.material.delete": "删除会议材料",
    "assembly.session.notice": "发出年会通知", "assembly.session.open": "年会开始签到",
    "assembly.session.hold": "确认年会召开", "assembly.attendance.sign_in": "代表签到",
    "assembly.attendance.leave": "登记代表请假", "assembly.attendance.undo": "撤销签到或请假",
    "assembly.attendance.self": "代表本人签到", "assembly.group.generate": "按代表小组分组",
    "assembly.group.create": "增加讨论分组", "assembly.group.member": "调整分组成员",
    "assembly.group.remove": "移出分组成员", "assembly.group.convener": "指定分组召集人",
    "assembly.group.minutes": "记录分组讨论纪要",
    # 年会：民主评议、民主测评、信任投票
    "assembly.appraisal.create": "设置测评", "assembly.appraisal.update": "修改测评设置",
    "assembly.appraisal.open": "开始测评计票", "assembly.appraisal.enter": "录入测评票数",
    "assembly.appraisal.confirm": "确认测评票数", "assembly.appraisal.publish": "公布测评结果",
    # 演示数据
    "seed.units": "载入演示推荐单位", "seed.office": "载入演示工作室", "seed.election": "载入演示选举",
    "seed.duties": "载入演示履职数据", "seed.levels": "载入演示上级党委", "seed.assembly": "载入演示年会",
}

OBJECT_LABELS: dict[str, str] = {
    "users": "用户", "api_tokens": "API令牌", "elections": "选举", "election_units": "推荐单位名单", "units": "推荐单位",
    "nominees": "推荐人选", "vettings": "考察", "inspector_assignments": "考察分工", "notices": "公示",
    "complaints": "信访举报", "confirm_meetings": "预备人选会议", "higher_nominees": "上级提名人选",
    "ballot_rounds": "投票轮次", "teller_entries": "计票录入", "ballot_papers": "选票", "scrutineers": "监票计票人员",
    "round_plans": "投票安排", "voting_results": "选举结果", "delegates": "当选代表", "organisations": "组织",
    "delegate_offices": "党代表工作室", "term_delegates": "代表", "duty_activities": "履职活动",
    "duty_petitions": "群众诉求", "duty_proposals": "提案", "duty_annual_summaries": "年度述职",
    "duty_review_ratings": "年度评议", "duty_model_nominations": "履职标兵推荐", "duty_ruleset_versions": "履职规则",
    "duty_rule_assignments": "履职规则指定", "background_tasks": "后台任务", "notifications": "提醒",
    "calendar": "节假日（年度）", "stage_changes": "阶段变更", "election_decisions": "会议决定",
    "congresses": "上级选举", "congress_nominees": "市委提名人选", "upward_reports": "上报材料",
    "assembly_resolutions": "决议", "assembly_followups": "整改事项", "assembly_sitins": "列席会议",
    "assembly_sitin_invitees": "列席代表", "assembly_inquiries": "询问质询",
    "assembly_appraisals": "测评",
    "assembly_sessions": "年会",
}

FIELD_LABELS: dict[str, str] = {
    "added": "新增", "approved": "批准", "body": "内容", "category": "类别", "channel": "来源渠道", "chosen": "选定",
    "code": "编码", "codes": "编码", "conclusion": "结论", "conflicts": "冲突", "cosigners": "联署代表",
    "count": "数量", "days": "日期", "delegates": "代表", "doc_no": "文号", "doc_number": "文号", "duty": "职责",
    "effect": "处理结果", "elected": "当选", "election_id": "选举", "expires_at": "到期时间", "explanation": "说明",
    "files": "文件", "findings": "核查情况", "gender": "性别", "grade": "等次", "held_on": "会议日期",
    "holidays": "放假日", "workdays": "调休上班日", "ids": "编号", "kind": "类型", "locked_until": "锁定至",
    "members": "党员人数", "name": "名称", "nominee_id": "人选", "notice_id": "公示", "on": "日期",
    "opinion": "意见", "orgs": "组织数", "people": "人员", "period_end": "公示截止", "posted_on": "公示日期",
    "prefix": "前缀", "quota_warnings": "结构提示", "reason": "理由", "removed": "移除", "reopened_until": "重新开放至",
    "reported_on": "上报日期", "revoked_at": "撤销时间", "role": "角色", "stage": "阶段", "state": "办理步骤",
    "status": "状态", "type": "类型", "unit": "单位", "unit_id": "单位", "units": "单位", "updated": "更新",
    "user_id": "用户", "username": "用户名", "usernames": "用户名", "vacancies": "缺额", "title": "标题",
    "seats": "应选名额", "higher_nominated_seats": "上级提名名额", "preset": "选举办法", "age_reference_date": "年龄计算日",
    "voters": "选举人数", "settings": "工作方案设置", "quota_rules": "结构要求", "categories": "身份类别",
    "overdue_reason": "逾期说明", "display_name": "姓名", "office_id": "工作室", "disabled": "停用",
    "valid": "有效票", "invalid": "无效票", "for": "得票", "totals": "计票结果", "result": "结果",
    "appraisal_count": "民主测评人数", "summary": "摘要", "year": "年度", "target": "目标", "parent_code": "上级编码",
    "organisation_id": "所属组织", "package_kind": "报送类型",
    "filing": "立案审查结果", "handling_unit": "承办单位", "reply_due_on": "答复期限",  # 年会：提案
    # 年会：决议与整改、列席与询问质询
    "adopted_on": "通过日期", "text": "正文", "implementation": "落实情况", "implementation_reported_on": "落实情况报告日期",
    "followup_source": "问题来源", "followup_status": "整改状态", "owner": "责任单位", "due_on": "期限",
    "progress": "整改措施与进展", "done_on": "完成日期", "sitin_kind": "会议类型", "place": "地点",
    "attended": "出席", "leave_reason": "缺席原因", "activity_id": "履职活动", "inquiry_kind": "询问或质询",
    "department": "部门", "submitted_on": "提出日期", "reply": "答复", "replied_on": "答复日期",
    # 年会：会议、签到、分组
    "opens_on": "开幕日期", "notified": "通知代表人数", "roll": "应到人数", "present": "实到人数", "needed": "须到人数",
    "seq": "序号", "delegate": "代表", "attendance": "签到情况", "group": "分组", "groups": "分组", "from": "原分组",
    "convener": "召集人", "length": "字数", "size": "文件大小", "workplace": "工作单位及职务",
}

# Recorded values that are codes, by field: the 反映's channel, the 考察 and 反映 conclusions, the kind of a recorded
# decision, a 监票/计票人's duty (the enums' own labels, election.vetting.services.enums, elections.DECISION_KINDS)
VALUE_LABELS: dict[str, dict[str, str]] = {
    "channel": {"phone": "来电", "letter": "来信", "visit": "来访", "email": "电子邮件", "other": "其他"},
    "conclusion": {"passed": "通过", "unfit": "不宜", "true": "属实", "partly": "部分属实", "false": "不属实",
                   "unverifiable": "无法核实"},
    "kind": {"shortlist": "确定考察对象的会议", "preliminary": "确定初步人选的会议", "confirm": "确定预备人选的全委会",
             "higher_consent": "上级党委对初步人选的意见", "approval": "上级党委对预备人选的批复"},
    "duty": {"scrutineer": "监票人", "counter": "计票人"},
    # a package reported up (election.levels.services.reports): its state after a decision
    "status": {"submitted": "已报送", "reviewed": "已初步审查", "approved": "已作出决定", "returned": "已退回"},
    # ... and its kind (election.levels.services.reports_kinds.KINDS)
    "package_kind": {"consent": "初步人选", "approval": "预备人选", "result": "选举结果"},
    # 年会：提案的立案审查 (election.assembly.services.proposals)
    "filing": {"pending": "待审查", "filed": "立案", "not_filed": "不立案", "suggestion": "转为建议"},
    # 年会 (election.assembly.services.followup, between)
    "followup_source": {"appraisal": "民主评议", "resolution": "决议", "proposal": "提案", "other": "其他"},
    "followup_status": {"open": "未开始", "in_progress": "整改中", "done": "已完成"},
    "sitin_kind": {"plenary": "全委会", "standing": "常委会", "other": "其他会议"},
    "inquiry_kind": {"inquiry": "询问", "interpellation": "质询"},
}
