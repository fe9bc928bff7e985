"""Background tasks: a worker with its own session reports progress, saves a file, owner-only."""
from __future__ import annotations

from datetime import timedelta

import pytest
from election.tasks.models import BackgroundTask

from election.core.clock import utcnow
from election.core.exceptions import NotFound, ServiceError
from election.tasks import runner


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    return tmp_path


def _work(seen):
    def work(session, task_id, report):
        for pct in (10, 10, 50, 99, 150):
            report(pct, f"第{pct}")
            seen.append(session.get(BackgroundTask, task_id).progress)
        return b"hello", "结果.txt"
    return work


def test_task_runs_in_a_worker_thread_to_100_and_saves_its_file(app, session, make_user, uploads):
    import threading

    owner = make_user("office")
    task = runner.create_task(session, owner, "demo", "演示任务")
    assert (task.status, task.progress) == ("queued", 0)
    seen: list[int] = []
    # as a queue worker runs it: another thread, its own app context and session, the heartbeat beside it
    thread = threading.Thread(target=runner.run_task, args=(app, task.id, _work(seen)), kwargs={"beating": True})
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    session.expire_all()
    task = session.get(BackgroundTask, task.id)
    assert (task.status, task.progress, task.download_name) == ("done", 100, "结果.txt")
    assert seen == [10, 10, 50, 99, 99]           # 100 only with the file; over 100 is clamped
    assert task.finished_at is not None
    path = runner.result_file(app, task)
    assert path.read_bytes() == b"hello" and path.parent == uploads / "tasks"


def test_task_failure_keeps_the_chinese_message(app, session, make_user, uploads):
    owner = make_user("office")
    task_id = runner.create_task(session, owner, "demo", "会失败的任务").id

    def work(session, task_id, report):
        report(30)
        raise ServiceError("还没有考察对象，无法生成登记表。")

    runner.run_task(app, task_id, work)   # in this thread: its own app context closes the session after
    task = session.get(BackgroundTask, task_id)
    assert (task.status, task.message, task.progress) == ("failed", "还没有考察对象，无法生成登记表。", 30)
    assert task.result_path is None
    with pytest.raises(NotFound):
        runner.result_file(app, task)


def test_task_unexpected_error_is_recorded_without_details(app, session, make_user, uploads):
    owner = make_user("office")
    task_id = runner.create_task(session, owner, "demo", "出错的任务").id
    runner.run_task(app, task_id, lambda s, i, r: 1 / 0)
    task = session.get(BackgroundTask, task_id)
    assert task.status == "failed" and "内部错误" in task.message and "ZeroDivision" not in task.message


def test_task_is_owner_only(session, make_user):
    owner, other = make_user("office"), make_user("office")
    task = runner.create_task(session, owner, "demo", "我的任务")
    assert runner.get_task(session, owner, task.id).id == task.id
    with pytest.raises(NotFound):
        runner.get_task(session, other, task.id)
    with pytest.raises(NotFound):
        runner.get_task(session, owner, task.id + 1000)


def test_task_check_constraints_tie_file_and_progress_to_status(session, make_user):
    from sqlalchemy.exc import IntegrityError

    owner = make_user("office")
    session.add(BackgroundTask(kind="x", title="x", owner_id=owner.id, status="done", progress=50,
                               result_path="tasks/a", download_name="a", finished_at=utcnow()))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_task_stale_running_is_marked_failed(session, make_user):
    owner = make_user("office")
    task = runner.create_task(session, owner, "demo", "中断的任务", now=utcnow() - timedelta(hours=3))
    fresh = runner.create_task(session, owner, "demo", "新任务")
    assert runner.fail_stale_tasks(session, utcnow()) == 1
    session.expire_all()
    assert session.get(BackgroundTask, task.id).status == "failed"
    assert session.get(BackgroundTask, fresh.id).status == "queued"


def test_task_audit_entry_on_start(session, make_user):
    from sqlalchemy import select

    from election.audit.models import AuditEntry

    owner = make_user("office")
    runner.create_task(session, owner, "demo", "审计任务")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "task.start")).all()[-1]
    assert "审计任务" in entry.summary


# --- through the pages ------------------------------------------------------------------------------------
@pytest.fixture
def inline(app, uploads):
    app.config["TASKS_INLINE"] = True


def test_task_registration_forms_download_through_pages(client, session, login_as, make_election, inline):
    import io
    from datetime import date

    from docx import Document

    from election.directory.models import ElectionUnit
    from election.nominations.models import Nominee

    election = make_election(stage="nominate", units=1)
    eu = session.query(ElectionUnit).filter_by(election_id=election.id).one()
    eu.status, eu.submitted_at = "submitted", utcnow()
    for i, name in enumerate(["王芳", "丁一", "李娜"]):
        session.add(Nominee(election_id=election.id, election_unit_id=eu.id, position=i, name=name, gender="女",
                            ethnicity="汉族", id_number=f"11010519800101{i:03d}X"[:18], birth_date=date(1980, 1, 1),
                            category="工人", birthplace=f"出生地{i}", health="健康", professional_title="高级工程师",
                            resume="1998.07—2005.03 某厂技术员\n2005.03—  某厂车间主任", rewards=f"奖惩{i}"))
    session.flush()
    login_as("office")
    response = client.post("/tasks/registration-forms", data={"election_id": election.id, "step": "nominated"})
    assert response.status_code == 302
    status = client.get(response.location + ".json").get_json()
    assert status["status"] == "done" and status["progress"] == 100
    page = client.get(response.location).get_data(as_text=True)
    assert "tasks.js" in page and "<script>" not in page
    file = client.get(status["download_url"])
    assert file.status_code == 200
    text = "".join(Document(io.BytesIO(file.data)).element.body.itertext())
    assert text.index("丁一") < text.index("王芳") < text.index("李娜")      # 姓氏笔画
    assert "110105" not in text                                           # no ID numbers
    # the 登记表's own fields are printed in the batch too
    assert all(f"出生地{i}" in text and f"奖惩{i}" in text for i in range(3))
    assert "高级工程师" in text and "某厂车间主任" in text


def test_task_pages_of_another_user_are_404(client, session, make_user, auth, login_as, inline):
    owner = make_user("office")
    task_id = runner.create_task(session, owner, "demo", "别人的任务").id
    runner.run_task(client.application, task_id, lambda s, i, r: (b"x", "x.txt"))
    login_as("office")
    for url in (f"/tasks/{task_id}", f"/tasks/{task_id}.json", f"/tasks/{task_id}/download"):
        assert client.get(url).status_code == 404


def test_task_nominee_export_masks_id_numbers_for_office(client, session, login_as, make_election, inline):
    import io
    from datetime import date

    from openpyxl import load_workbook

    from election.directory.models import ElectionUnit
    from election.nominations.models import Nominee

    election = make_election(stage="nominate", units=1)
    eu = session.query(ElectionUnit).filter_by(election_id=election.id).one()
    session.add(Nominee(election_id=election.id, election_unit_id=eu.id, name="张伟", gender="男", ethnicity="汉族",
                        id_number="110105198001010018", birth_date=date(1980, 1, 1), category="工人"))
    session.flush()
    login_as("office")
    response = client.post("/tasks/nominees-export", data={"election_id": election.id})
    status = client.get(response.location + ".json").get_json()
    ws = load_workbook(io.BytesIO(client.get(status["download_url"]).data)).active
    row = [c.value for c in ws[2]]
    assert "张伟" in row and "110105198001010018" not in row and "（未提交）" in row[11]


def test_task_start_needs_an_election_reader(client, login_as, make_unit, inline):
    login_as("unit", unit_id=make_unit().id)
    assert client.post("/tasks/nominees-export", data={"election_id": 1}).status_code == 403
