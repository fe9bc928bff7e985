"""A background job that fails is shown as 失败 in red with its Chinese reason, never as 已完成 100 %: a big upload
refused as a whole (too big, not a workbook) ends the job failed, on the status page, in the list and in the JSON."""
from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from election.nominations.models import Nominee
from election.tasks import runner
from election.tasks.models import BackgroundTask
from workflow.common.results import DomainError

MB = 1024 * 1024


@pytest.fixture
def inline(app, tmp_path):
    """Tasks run at once in the request; every upload counts as big."""
    app.config.update(TASKS_INLINE=True, UPLOAD_DIR=str(tmp_path), BACKGROUND_IMPORT_BYTES=0)
    return app


@pytest.fixture
def unit_upload(client, session, login_as, inline, make_election, monkeypatch):
    monkeypatch.setattr("election.nominations.views.today_local", lambda: date(2026, 2, 15))
    election = make_election(stage="nominate", units=1)
    eu = election.units[0]
    session.commit()
    login_as("unit", unit_id=eu.unit_id)

    def upload(data: bytes, name: str = "名单.xlsx") -> BackgroundTask:
        response = client.post(f"/units/{eu.id}/upload", data={"file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 302 and "/tasks/" in response.headers["Location"], response.status_code
        task_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        session.expire_all()
        return session.get(BackgroundTask, task_id)

    upload.election_unit = eu
    return upload


@pytest.mark.parametrize("data, reason", [
    (b"PK" + b"\0" * (5 * MB), "超过5 MB的上限"),          # just over the reader's 5 MB bound
    (b"this is not a workbook at all", "文件未被接受"),
])
def test_refused_big_upload_fails_with_its_reason(client, session, unit_upload, data, reason):
    task = unit_upload(data)
    assert task.status == "failed" and task.progress < 100 and task.result_path is None
    assert task.message.startswith("文件未被接受，名单未保存：") and reason in task.message
    assert session.scalar(select(func.count()).select_from(Nominee)
                          .where(Nominee.election_unit_id == unit_upload.election_unit.id)) == 0
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'class="tag bad" data-task-state' in page and ">失败</span>" in page and "已完成" not in page
    assert 'class="error" data-testid="task-message">文件未被接受' in page
    assert 'data-task-download hidden' in page
    data = client.get(f"/tasks/{task.id}.json").get_json()
    assert (data["status"], data["status_label"], data["finished"], data["download_url"]) == \
        ("failed", "失败", True, None)
    assert data["progress"] < 100 and reason in data["message"]
    listing = client.get("/tasks/").get_data(as_text=True)
    assert '<span class="tag bad">失败</span>' in listing and f'<span class="error">{task.message}</span>' in listing
    assert client.get(f"/tasks/{task.id}/download").status_code == 404


def test_a_failing_work_is_never_done(session, app, make_user):
    owner = make_user("office")
    task_id = runner.create_task(session, owner, "demo", "会失败的任务").id

    def work(session, task_id, report):
        report(60, "处理中")
        raise DomainError("第3行“出生年月”应写作 1975-03")

    runner.run_task(app, task_id, work)
    session.expire_all()
    task = session.get(BackgroundTask, task_id)
    assert (task.status, task.status_label, task.progress) == ("failed", "失败", 60)
    assert task.message == "第3行“出生年月”应写作 1975-03" and task.finished_at is not None


def test_upload_with_row_errors_is_shown_as_not_saved_with_the_list_to_download(client, session, unit_upload):
    """A workbook read to its end whose rows have errors saves nothing: not 已完成 in green but 有错误，未保存 in red,
    with the row-by-row list of errors to download."""
    from tests.tasks.test_pages import DATA

    task = unit_upload((DATA / "bad_dates.xlsx").read_bytes())
    assert (task.status, task.status_label, task.progress) == ("rejected", "有错误，未保存", 100)
    assert task.message.startswith("发现") and "名单未保存" in task.message and task.result_path is not None
    assert session.scalar(select(func.count()).select_from(Nominee)
                          .where(Nominee.election_unit_id == unit_upload.election_unit.id)) == 0
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'class="tag bad" data-task-state' in page and ">有错误，未保存</span>" in page and "已完成" not in page
    assert 'data-task-finished="1"' in page and 'data-task-download hidden' not in page
    data = client.get(f"/tasks/{task.id}.json").get_json()
    assert (data["status"], data["finished"]) == ("rejected", True) and data["download_url"]
    listing = client.get("/tasks/").get_data(as_text=True)
    assert '<span class="tag bad">有错误，未保存</span>' in listing and "下载错误清单" in listing
    download = client.get(f"/tasks/{task.id}/download")
    assert download.status_code == 200 and download.data[:2] == b"PK"
