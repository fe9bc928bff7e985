"""Chinese error pages; a 500 rolls the session back and never shows a traceback."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from election.core.exceptions import ServiceError

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页检查后重试。"),
    403: ("无权访问", "您没有访问该页面或执行该操作的权限。如需访问，请联系选举办。"),
    404: ("页面不存在", "您访问的页面或数据不存在，或者不属于您的单位。"),
    405: ("请求方式不正确", "该页面不支持此操作，请从系统页面上的按钮进入。"),
    409: ("数据已被他人修改", "其他人刚刚修改了同一数据，请刷新页面后重试。"),
    413: ("文件过大", "上传的文件超过大小限制（5MB），请精简后再上传。"),
    429: ("操作过于频繁", "请稍后再试。"),
    500: ("系统内部错误", "系统处理时出现错误，已记录。您的操作没有生效，请稍后重试或联系管理员。"),
}


def _page(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    return render_template("errors/error.html", status=status, title=title, message=detail or message), status


def register_error_handlers(app: Flask) -> None:
    from election.core.db import db

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return _page(400, "页面已过期或表单校验失败，请刷新页面后重新提交。")

    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError):
        db.session.rollback()
        return _page(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code == 500:
            db.session.rollback()
        return _page(exc.code or 500, exc.description if exc.code in (400, 403, 404, 409) and
                     exc.description and not exc.description.isascii() else None)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        try:
            db.session.rollback()
        except Exception:  # pragma: no cover - the original error matters more
            log.exception("rollback failed")
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _page(500)
