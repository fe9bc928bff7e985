"""E-mail of the in-app reminders: a Chinese subject naming what the reminder is, the message (with its deadline),
and an absolute link to the page where the person acts (BASE_URL + the reminder's link).

Mail goes out after the reminders are committed, never inside a use case's transaction: the scheduler's mail job
sends whatever is not mailed yet, and marks each message sent once the server has taken it.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.core.config import DefaultConfig
from election.core.db import transaction
from election.notifications.models import Notification

log = logging.getLogger(__name__)

SYSTEM_NAME = "代表选举与履职管理系统"
# what each kind of reminder is, as the e-mail subject says it
KIND_TITLES = {
    "inspector_assigned": "考察任务",
    "complaint_assigned": "反映核查任务",
    "round_opened": "计票任务",
    "activity_returned": "履职活动被退回",
    "petition_overdue": "群众诉求办理超期",
    "duty_requirement": "履职要求尚未完成",
    "stage_due_soon": "阶段即将到期",
    "stage_overdue": "阶段已逾期",
    "unit_not_submitted": "推荐人选未报送",
    "notice_ending": "公示即将期满",
    "notice_ended": "公示已期满",
    "calendar_missing": "缺少节假日数据",
    "package_submitted": "上报材料待审",
    "package_decided": "上级组织部门的决定",
    "package_waiting": "上报材料待审已久",
    "package_not_submitted": "上报材料未按期报送",
    "proposal_reply_overdue": "会议提案答复逾期",
}
# reminders older than this are not mailed any more (SMTP set up months later must not flood the inboxes)
MAIL_WINDOW = timedelta(days=3)


def absolute_link(base_url: str, link: str) -> str:
    base = (base_url or DefaultConfig.BASE_URL).rstrip("/")
    return base + (link if link.startswith("/") else "/" + link) if link else base + "/"


def compose(note: Notification, name: str, address: str, sender: str, base_url: str) -> EmailMessage:
    """One reminder as one e-mail."""
    msg = EmailMessage()
    msg["Subject"] = f"【{SYSTEM_NAME}】{KIND_TITLES.get(note.kind, '工作提醒')}"
    msg["From"] = sender
    msg["To"] = address
    msg.set_content(f"{name}：\n\n{note.message}\n\n办理请登录系统：{absolute_link(base_url, note.link)}\n\n"
                    f"本邮件由{SYSTEM_NAME}自动发送，请勿回复；这条提醒也在系统右上角的「提醒」中。\n")
    return msg


def send_pending_email(session: Session, smtp: dict, now: datetime) -> int:
    """E-mail every recent reminder not yet mailed to users with an address; marks each one mailed. A refused
    recipient is logged and left for the next run; the others are still sent. The reminders are claimed with a
    row lock that others skip (PostgreSQL), so the mail job and a hand-run `election reminders` never mail one
    twice; the mark is written in the same transaction."""
    sender = smtp.get("sender") or DefaultConfig.SMTP_SENDER
    base_url = smtp.get("base_url") or DefaultConfig.BASE_URL
    sent: list[int] = []
    with transaction(session):
        rows = session.execute(
            select(Notification, User.display_name, User.email).join(User, User.id == Notification.user_id)
            .where(Notification.emailed_at.is_(None), Notification.created_at >= now - MAIL_WINDOW,
                   User.email.is_not(None), User.email != "", User.active.is_(True))
            .order_by(Notification.id).with_for_update(of=Notification, skip_locked=True)).all()
        if not rows:
            return 0
        with smtplib.SMTP(smtp["host"], int(smtp.get("port") or 25), timeout=10) as client:
            if smtp.get("starttls"):
                client.starttls()
            if smtp.get("username"):
                client.login(smtp["username"], smtp.get("password") or "")
            for note, name, address in rows:
                try:
                    client.send_message(compose(note, name, address, sender, base_url))
                except smtplib.SMTPRecipientsRefused:
                    log.warning("reminder %s: the mail server refused %s", note.id, address)
                    continue
                sent.append(note.id)
        if sent:
            session.execute(update(Notification).where(Notification.id.in_(sent)).values(emailed_at=now))
    return len(sent)
