"""The 民主测评 pages walked by the 选举办 and two tellers (docs/rules.md §7): set up, open, two entries that differ,
corrected, confirmed, published; a delegate sees the results only once published; the .docx reads back in
GB/T 9704 fonts; another district's 选举办 gets 404."""
from __future__ import annotations

import io
from datetime import datetime

from docx import Document

from election.assembly.models import Appraisal
from tests.assembly.test_appraisal_services import _status

NOW = datetime(2026, 12, 15, 2, 0)


def _as(client, auth, user):
    auth.logout()
    assert auth.login(user.username).status_code == 302


def _entry_form(a, invalid, first_good):
    data = {"invalid": str(invalid)}
    for o in a.objects:
        values = {"好": first_good if o.seq == 1 else 3, "较好": 4, "一般": 0, "差": 0 if o.seq == 1 else 3}
        for i, g in enumerate(a.grades):
            data[f"n-{o.id}-{i}"] = str(values[g])
    return data


def test_two_tellers_walk_to_a_published_result(client, auth, session, assembly_world):
    w = assembly_world
    _status(session, w, "open")
    _as(client, auth, w.office)
    page = client.get(f"/assembly/sessions/{w.session.id}/appraisals")
    assert page.status_code == 200 and "设置一项测评" in page.get_data(as_text=True)
    r = client.post(f"/assembly/sessions/{w.session.id}/appraisals",
                    data={"kind": "rating", "objects": "区委领导班子\n张伟，区委书记"})
    assert r.status_code == 302
    a = session.query(Appraisal).filter_by(session_id=w.session.id).one()
    assert r.headers["Location"].endswith(f"/assembly/appraisals/{a.id}")
    refused = client.post(f"/assembly/appraisals/{a.id}/open", data={"ballots_issued": "12", "ballots_collected": "13"},
                          follow_redirects=True)
    assert "本次测评无效，应重新进行" in refused.get_data(as_text=True)
    client.post(f"/assembly/appraisals/{a.id}/open", data={"ballots_issued": "12", "ballots_collected": "12"})
    session.expire_all()
    a = session.get(Appraisal, a.id)
    assert a.status == "open"

    _as(client, auth, w.teller)
    board = client.get("/").get_data(as_text=True)
    assert 'data-testid="my-appraisals"' in board and "对区委领导班子和班子成员的民主测评" in board
    dash = client.get(f"/assembly/appraisals/{a.id}").get_data(as_text=True)
    assert 'data-testid="entry-link-1"' in dash and 'data-testid="confirm-form"' not in dash
    r = client.post(f"/assembly/appraisals/{a.id}/entry/1", data=_entry_form(a, 1, 7))
    assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
    again = client.post(f"/assembly/appraisals/{a.id}/entry/2", data=_entry_form(a, 1, 7)).get_data(as_text=True)
    assert "两次录入须由两位计票人员分别独立完成" in again

    _as(client, auth, w.teller2)
    taken = client.get(f"/assembly/appraisals/{a.id}/entry/1").get_data(as_text=True)
    assert 'data-testid="entry-taken"' in taken and 'data-testid="entry-form"' not in taken
    over = client.post(f"/assembly/appraisals/{a.id}/entry/2", data=_entry_form(a, 1, 8)).get_data(as_text=True)
    assert "区委领导班子：各等次票数之和（12）超过有效票数（11）" in over
    client.post(f"/assembly/appraisals/{a.id}/entry/2", data=_entry_form(a, 1, 6))
    cmp = client.get(f"/assembly/appraisals/{a.id}/compare").get_data(as_text=True)
    assert cmp.count('data-testid="difference"') == 1 and "<td>区委领导班子</td><td>好</td><td>7</td><td>6</td>" in cmp
    refused = client.post(f"/assembly/appraisals/{a.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "有1处不同" in refused
    client.post(f"/assembly/appraisals/{a.id}/entry/2", data=_entry_form(a, 1, 7))
    page = client.get(f"/assembly/appraisals/{a.id}").get_data(as_text=True)
    assert 'data-testid="entries-agree"' in page and 'data-testid="confirm-form"' in page
    client.post(f"/assembly/appraisals/{a.id}/confirm")
    session.expire_all()
    assert session.get(Appraisal, a.id).status == "confirmed"

    _as(client, auth, w.delegate_user)
    assert client.get(f"/assembly/appraisals/{a.id}").status_code == 404
    assert "还没有公布的测评结果" in client.get(f"/assembly/sessions/{w.session.id}/appraisals").get_data(as_text=True)

    _as(client, auth, w.office)
    client.post(f"/assembly/appraisals/{a.id}/publish")
    _as(client, auth, w.delegate_user)
    result = client.get(f"/assembly/appraisals/{a.id}").get_data(as_text=True)
    assert result.count('data-testid="result-row"') == 2 and 'data-testid="flagged"' not in result
    assert "不记录任何一张票由哪位代表填写" in result and 'data-testid="publish-form"' not in result
    assert "<td>好</td>" in result  # 7 of 11 好 for the 班子
    docx = client.get(f"/assembly/appraisals/{a.id}/result.docx")
    assert docx.status_code == 200 and "filename*=UTF-8''" in docx.headers["Content-Disposition"]
    doc = Document(io.BytesIO(docx.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "应到代表12名，实到0名" in text and "发出票12张，收回12张，其中有效票11张，无效票1张" in text
    assert doc.tables[0].rows[1].cells[1].text == "区委领导班子"
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip() and r.font.name}
    assert fonts and fonts <= {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "Times New Roman"}, fonts
    printed = client.get(f"/assembly/appraisals/{a.id}/print").get_data(as_text=True)
    assert "<thead>" in printed and "区委领导班子" in printed

    _as(client, auth, w.other_office)
    assert client.get(f"/assembly/appraisals/{a.id}").status_code == 404
    assert client.post(f"/assembly/appraisals/{a.id}/publish").status_code == 404


def test_pages_cost_the_same_at_two_sizes(client, auth, session, assembly_world, count_queries):
    from election.assembly.models import AppraisalObject
    from tests.fixtures.costs import cost

    w = assembly_world
    sid, username = w.session.id, w.office.username  # ids: cost() expunges
    statements = []
    for size in (2, 12):
        made = []
        for n in range(size):
            a = Appraisal(session_id=sid, kind="rating", title=f"测评{size}-{n}", grades=["好", "较好", "一般", "差"],
                          settings={}, status="published", ballots_issued=20, ballots_collected=20,
                          published_at=NOW, confirmed={"invalid": 0, "objects": {}})
            a.objects.extend(AppraisalObject(seq=k + 1, kind="person", name=f"对象{k}", post="委员") for k in range(size))
            session.add(a)
            made.append(a)
        session.flush()
        for a in made:
            a.confirmed = {"invalid": 1, "objects": {str(o.id): {"好": 10, "差": 9} for o in a.objects}}
        session.commit()
        last = made[-1].id
        auth.login(username)
        client.get(f"/assembly/sessions/{sid}/appraisals")
        listed = cost(count_queries, lambda: client.get(f"/assembly/sessions/{sid}/appraisals"), 200, "list")
        page = cost(count_queries, lambda last=last: client.get(f"/assembly/appraisals/{last}"), 200, "page")
        printed = cost(count_queries, lambda last=last: client.get(f"/assembly/appraisals/{last}/print"), 200, "print")
        statements.append((listed[0], page[0], printed[0]))
        auth.logout()
    assert statements[0] == statements[1], statements
    assert max(statements[1]) <= 12, statements
