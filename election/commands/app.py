"""The commands that need the application: database, demo data, users, server, scheduler, reminders, backup and
restore, audit verification. ``register_cli`` adds them, and the pure rule commands of this package, to the app's
``flask`` group; ``election.cli`` is the ``election`` entry point around them."""
from __future__ import annotations

import importlib
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from election.commands import PURE_COMMANDS


def database_overrides():
    """The admin's holiday table for `election workdays`, read from the app the CLI loaded; nothing when the
    database is not set up yet (a fresh checkout needs no database for this command)."""
    from flask.cli import ScriptInfo
    from sqlalchemy import inspect

    from election.calendar.services import load_overrides
    from election.core.db import db

    ctx = click.get_current_context(silent=True)
    info = ctx.find_object(ScriptInfo) if ctx else None
    if info is None:
        return {}
    app = info.load_app()
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///")):
        return {}
    with app.app_context():
        if not inspect(db.session.connection()).has_table("calendar_days"):
            return {}
        return load_overrides(db.session)


def register_cli(app: Flask) -> None:
    from election.calendar.commands import holidays_group
    from election.directory.commands import org_group
    from election.commands import workdays

    if workdays.OVERRIDE_LOADER is None:
        workdays.OVERRIDE_LOADER = database_overrides
    for name in PURE_COMMANDS:
        try:
            module = importlib.import_module(f"election.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != f"election.commands.{name}":
                raise
            continue
        app.cli.add_command(module.command)
    for command in (db_group, seed_group, create_user_command, serve_command, audit_group, scheduler_command,
                    worker_command, reminders_command, backup_command, restore_command, holidays_group, org_group):
        app.cli.add_command(command)


# --- database -------------------------------------------------------------------------------------------
@click.group("db", help="数据库迁移")
def db_group() -> None:
    pass


@db_group.command("upgrade", help="将数据库结构升级到最新版本（Alembic）")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    from election.core.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("数据库已升级到最新版本。")


@db_group.command("revision", help="按模型变化生成新的迁移脚本（开发用）")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    from election.core.migrate import revision

    revision(current_app.config["DATABASE_URL"], message)


# --- seeds ----------------------------------------------------------------------------------------------
@click.group("seed", help="载入演示数据")
def seed_group() -> None:
    pass


@seed_group.command("demo", help="载入演示选举与各角色演示账号（可重复执行，不会重复写入）")
@with_appcontext
def seed_demo() -> None:
    from election.core.db import db
    from seeds.demo import DEMO_LOGINS, load_demo

    created = load_demo(db.session)
    click.echo("演示数据已载入。" if created else "演示数据已存在，未做任何改动。")
    click.echo("演示账号（密码均为 %s）：" % DEMO_LOGINS[0][2])
    for username, label, _password in DEMO_LOGINS:
        click.echo(f"  {username:<12}{label}")


# --- users ----------------------------------------------------------------------------------------------
@click.command("create-user", help="创建用户")
@click.option("--username", required=True, help="用户名")
@click.option("--name", "display_name", default="", help="姓名")
@click.option("--role", required=True, help="角色：admin office unit inspector discipline teller delegate studio auditor")
@click.option("--unit", "unit_code", default=None, help="推荐单位编码（推荐单位经办人必填）")
@click.option("--office", "office_name", default=None, help="党代表工作室名称（工作室人员必填）")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再次输入密码")
@with_appcontext
def create_user_command(username, display_name, role, unit_code, office_name, password) -> None:
    from sqlalchemy import select

    from election.accounts.services import create_user
    from election.core.db import db
    from election.core.exceptions import ServiceError
    from election.core.roles import Role
    from election.directory.models import DelegateOffice, Unit

    if role not in Role.__members__:
        raise click.UsageError(f"未知角色“{role}”，可选：{'、'.join(Role.__members__)}")
    session = db.session
    unit_id = office_id = None
    if unit_code:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise click.UsageError(f"找不到编码为“{unit_code}”的推荐单位")
    if office_name:
        office_id = session.scalar(select(DelegateOffice.id).where(DelegateOffice.name == office_name))
        if office_id is None:
            raise click.UsageError(f"找不到名为“{office_name}”的党代表工作室")
    try:
        user = create_user(session, None, username=username, password=password, role=role,
                           display_name=display_name, unit_id=unit_id, office_id=office_id)
    except ServiceError as exc:
        click.echo(exc.message, err=True)
        sys.exit(2)
    click.echo(f"已创建用户 {user.username}（{user.role_label}）")


# --- serve ----------------------------------------------------------------------------------------------
@click.command("serve", help="启动开发服务器（生产环境请用 gunicorn election.wsgi:app）")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--with-scheduler", is_flag=True,
              help="在同一进程中同时运行定时任务（每日提醒、邮件）；演示和单机使用（每个时段只执行一次，不会与其他 scheduler 重复）")
@with_appcontext
def serve_command(host: str, port: int, with_scheduler: bool) -> None:
    from werkzeug.serving import run_simple

    from election.notifications.jobs import start_in_process, stop_in_process

    app = current_app._get_current_object()
    click.echo(f"代表选举与履职管理系统：http://{host}:{port}/")
    if with_scheduler:
        start_in_process(app)
        click.echo(f"定时任务已在本进程中启动：每日{app.config['REMINDER_TIME']}（北京时间）生成工作提醒，"
                   f"每{app.config['MAIL_INTERVAL_MINUTES']}分钟发送一次邮件提醒（已配置邮件服务器时）。")
    try:
        # run_simple, not app.run(): Flask ignores app.run() inside its own CLI; no reloader, so the scheduler
        # runs in this one process only
        run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
    finally:
        stop_in_process()


# --- scheduler --------------------------------------------------------------------------------------------
@click.command("scheduler", help="启动定时任务进程（每日提醒）；可在每台应用服务器上各运行一个，同一时段只执行一次")
@with_appcontext
def scheduler_command() -> None:
    from election.notifications.jobs import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object())
    click.echo(f"定时任务已启动：每日{current_app.config['REMINDER_TIME']}（北京时间）生成工作提醒，"
               f"每{current_app.config['MAIL_INTERVAL_MINUTES']}分钟发送一次邮件提醒（已配置邮件服务器时）。按 Ctrl+C 停止。")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


# --- worker ----------------------------------------------------------------------------------------------
@click.command("worker", help="启动后台任务进程（导入、导出、批量登记表），从任务队列（ELECTION_QUEUE_URL）取任务执行；"
                              "可在多台机器上各运行一个或多个")
@click.option("--threads", type=click.IntRange(1, 32), default=None,
              help="同时执行的任务数（默认取 ELECTION_QUEUE_WORKER_THREADS，即2）")
@with_appcontext
def worker_command(threads: int | None) -> None:
    import logging

    from election.tasks.queue import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()
    threads = threads or int(app.config.get("QUEUE_WORKER_THREADS", 2))
    if not app.config.get("QUEUE_URL"):
        raise click.ClickException("未设置 ELECTION_QUEUE_URL：后台任务在 Web 进程内执行，无需单独的任务进程。")
    click.echo(f"后台任务进程已启动：同时执行{threads}个任务。按 Ctrl+C 停止（手头的任务做完再退出）。")
    run_worker(app, threads)


@click.command("reminders", help="立即执行一次每日提醒（同一天重复执行不会重复生成）")
@click.option("--force", is_flag=True, help="今天已执行过也再执行一次（不会重复生成提醒）")
@with_appcontext
def reminders_command(force: bool) -> None:
    from election.notifications.jobs import daily_reminders

    run = daily_reminders(current_app._get_current_object(), force=force)
    if not run.ran:
        click.echo(f"今天（{run.period}）的每日提醒已由其他进程执行，本次跳过；如需再次执行，请加 --force。")
        return
    result = run.result
    click.echo(f"已生成{result.created}条提醒（涉及{result.elections}个选举），发送邮件{result.emailed}封。")


# --- backup ---------------------------------------------------------------------------------------------
@click.command("backup", help="备份全部数据表和已上传文件到一个 .zip 文件")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    from election.core.backup import backup
    from election.core.db import db

    manifest = backup(db.engine, path, current_app.config.get("UPLOAD_DIR"))
    click.echo(f"已备份{len(manifest['tables'])}张表、共{sum(manifest['tables'].values())}行到 {path}")


@click.command("restore", help="从备份文件恢复到一个空数据库（先运行 db upgrade）")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def restore_command(path: str) -> None:
    from election.core.backup import BackupError, restore
    from election.core.db import db

    try:
        manifest = restore(db.engine, path, current_app.config.get("UPLOAD_DIR"))
    except BackupError as exc:
        click.echo(f"恢复失败：{exc}", err=True)
        sys.exit(2)
    click.echo(f"已恢复{len(manifest['tables'])}张表、共{sum(manifest['tables'].values())}行。")


# --- audit ----------------------------------------------------------------------------------------------
@click.group("audit", help="审计日志")
def audit_group() -> None:
    pass


@audit_group.command("verify", help="校验审计日志（带密钥的哈希链）和它封存的业务数据，报告第一处不符")
@click.option("--key-file", "key_files", multiple=True, type=click.Path(dir_okay=False),
              help="另外提供的审计密钥文件（“编号:密钥”每行一个），例如轮换后退役的旧密钥；可写多次")
@click.option("--legacy-until", type=int, default=None,
              help="启用密钥前的旧记录只到第几条（默认取 ELECTION_AUDIT_LEGACY_UNTIL）；之后出现无密钥的记录即为改写")
@with_appcontext
def audit_verify(key_files: tuple[str, ...], legacy_until: int | None) -> None:
    from election.audit import keys
    from election.audit.seals import verify_seals
    from election.audit.services import verify_chain
    from election.core.db import db

    keyring = keys.active()
    try:
        for path in key_files:
            keyring = keyring.with_keys(keys.read_key_file(path)[1])
    except keys.AuditKeyError as exc:
        raise click.ClickException(str(exc)) from None
    if legacy_until is None and current_app.config.get("AUDIT_LEGACY_UNTIL") is not None:
        legacy_until = int(current_app.config["AUDIT_LEGACY_UNTIL"])
    report = verify_chain(db.session, keyring=keyring, legacy_until=legacy_until)
    if not report.ok:
        click.echo(f"审计日志校验失败：第{report.broken_seq}条记录处断开。{report.reason}", err=True)
        sys.exit(1)
    seals = verify_seals(db.session)
    if not seals.ok:
        click.echo(f"业务数据校验失败：{seals.reason}", err=True)
        sys.exit(1)
    legacy = (f"其中前{report.legacy}条是启用审计密钥之前的旧记录，只按旧规则（不带密钥的哈希）校验，"
              "能被重算哈希而不被发现；" if report.legacy else "")
    click.echo(f"审计日志完整：共校验{report.checked}条记录，哈希链无断开（密钥：{'、'.join(report.key_ids) or '无'}）。"
               f"{legacy}封存的业务数据{seals.checked}项（计票结果、推荐名单、公示、阶段）与现有数据一致。"
               f"最新第{report.checked}条的哈希为 {report.last_hash}（请另行留存，用于核对链尾）。")
