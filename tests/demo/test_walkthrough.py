"""A newcomer given only README.md and the manual can run the demo election from set-up to result.

Starting from the demo data (seeds/demo.py: 某区出席市第十二次党代会代表选举, in 推荐提名 with 9 of 23 units
submitted) as loaded on DEMO_DAY — so that its 推荐提名 has long closed when the walk runs, and every stage after it
is overdue — the walk drives the election to 已完成 through the pages a person uses — links and buttons are
found by the texts the manual names in 「…」 (docs/manual/02-office.md stage by stage, 03–05 where a unit,
the 考察组, 纪检 or the 监票计票人员 act), and every form is posted with the fields the page renders.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import lxml.html
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from election.core.clock import today_local
from election.elections.models import Election
from election.nominations.columns import COLUMNS
from election.nominations.template import FIRST_DATA_ROW
from seeds.dates import shift_working_days
from seeds.demo import DEMO_PASSWORD, load_demo
from workflow.common.calendar import WorkCalendar
from workflow.common.idcard import make_id

TITLE = "某区出席市第十二次党代会代表选举"
DEMO_DAY = date(2026, 3, 2)  # the day the demo is loaded as of: a Monday, its whole timeline within 2026


# ---------------------------------------------------------------------------------------------- a tiny browser
_SIMPLE = re.compile(r'^([a-z0-9]*)((?:[#.][\w-]+|\[[\w-]+="[^"]*"\])*)$')
_PART = re.compile(r'[#.][\w-]+|\[[\w-]+="[^"]*"\]')


BACKDATE = "公示已按工作方案的日期张贴，现补录"


def css(selector: str) -> str:
    """The few CSS selectors the walk uses (tag, #id, .class, [attr="v"], descendant, comma) as XPath."""
    paths = []
    for alternative in selector.split(","):
        steps = []
        for simple in alternative.split():
            m = _SIMPLE.match(simple)
            assert m, simple
            tests = []
            for part in _PART.findall(m.group(2)):
                if part[0] == "#":
                    tests.append(f"@id='{part[1:]}'")
                elif part[0] == ".":
                    tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {part[1:]} ')")
                else:
                    attr, _, value = part[1:-1].partition("=")
                    tests.append(f"@{attr}={value!r}".replace('"', ""))
            steps.append((m.group(1) or "*") + "".join(f"[{t}]" for t in tests))
        paths.append(".//" + "//".join(steps))
    return " | ".join(paths)


def select_all(root, selector: str) -> list:
    return root.xpath(css(selector))


@dataclass
class Page:
    url: str
    status: int
    html: str
    tree: lxml.html.HtmlElement = field(repr=False)

    @property
    def flashes(self) -> list[str]:
        return [e.text_content().strip() for e in select_all(self.tree, ".flash")]

    def errors(self) -> list[str]:
        return [e.text_content().strip() for e in select_all(self.tree, ".flash-danger, .flash-warning, p.error")]

    def text(self, selector: str) -> str:
        found = select_all(self.tree, selector)
        assert found, f"{self.url}: no {selector}"
        return found[0].text_content().strip()

    @property
    def stage(self) -> str:
        return self.text('[data-testid="stage"]')

    @property
    def blockers(self) -> list[str]:
        return [li.text_content().strip() for li in select_all(self.tree, '[data-testid="blockers"] li')]

    def link(self, label: str) -> str:
        """The href of the link whose text is LABEL (as the manual writes it in 「…」)."""
        for a in self.tree.iter("a"):
            if a.text_content().strip() == label:
                return a.get("href")
        raise AssertionError(f"{self.url}: no link 「{label}」; flashes {self.flashes}")

    def links_in(self, selector: str) -> list[tuple[str, str]]:
        return [(a.text_content().strip(), a.get("href")) for a in select_all(self.tree, f"{selector} a")]

    def form(self, button: str, *, within: lxml.html.HtmlElement | None = None) -> tuple[str, dict[str, object]]:
        """(action, the fields as the browser would send them) of the form with a button labelled BUTTON."""
        root = within if within is not None else self.tree
        for form in root.iter("form"):
            buttons = [b for b in form.iter("button") if b.text_content().strip() == button]
            if not buttons:
                continue
            data: dict[str, object] = {}
            for el in form.iter("input", "select", "textarea"):
                name = el.get("name")
                if not name or el.get("disabled") is not None:
                    continue
                if el.tag == "input":
                    kind = (el.get("type") or "text").lower()
                    if kind in ("checkbox", "radio"):
                        if el.get("checked") is not None:
                            _add(data, name, el.get("value", "on"))
                        continue
                    if kind in ("submit", "file"):
                        continue
                    _add(data, name, el.get("value", ""))
                elif el.tag == "select":
                    options = el.findall(".//option")
                    chosen = [o for o in options if o.get("selected") is not None] or options[:1]
                    for o in chosen:
                        _add(data, name, o.get("value", o.text_content()))
                else:
                    _add(data, name, el.text or "")
            b = buttons[0]
            if b.get("name"):
                data[b.get("name")] = b.get("value", "")
            assert b.get("disabled") is None, f"{self.url}: 「{button}」 is disabled"
            return form.get("action") or self.url, data
        raise AssertionError(f"{self.url}: no button 「{button}」; flashes {self.flashes}; blockers {self.blockers}")


def _add(data: dict, name: str, value: str) -> None:
    if name in data:
        old = data[name]
        data[name] = [*old, value] if isinstance(old, list) else [old, value]
    else:
        data[name] = value


class Browser:
    def __init__(self, client):
        self.client = client
        self.page: Page | None = None

    def _page(self, response, url: str) -> Page:
        html = response.get_data(as_text=True)
        return Page(url, response.status_code, html, lxml.html.fromstring(html or "<html></html>"))

    def login(self, username: str) -> Page:
        self.client.post("/logout")
        page = self.submit("/login", {"username": username, "password": DEMO_PASSWORD})
        assert "欢迎" in " ".join(page.flashes), page.flashes
        return page

    def get(self, url: str) -> Page:
        response = self.client.get(url, follow_redirects=True)
        url = response.request.path if response.request else url
        self.page = self._page(response, url)
        assert self.page.status == 200, (url, self.page.status, self.page.html[:2000])
        return self.page

    def follow(self, label: str) -> Page:
        return self.get(self.page.link(label))

    def submit(self, url: str, data: dict, *, ok: tuple[int, ...] = (200,)) -> Page:
        response = self.client.post(url, data=data, follow_redirects=True, content_type="multipart/form-data"
                                    if any(isinstance(v, tuple) for v in data.values()) else None)
        self.page = self._page(response, response.request.path)
        assert self.page.status in ok, (url, self.page.status, self.page.errors(), self.page.html[:3000])
        return self.page

    def press_get(self, button: str, fill: dict) -> Page:
        """A GET form (e.g. 「核对法定人数」): its fields go into the query string."""
        action, data = self.page.form(button)
        data.update(fill)
        response = self.client.get(action, query_string=data)
        self.page = self._page(response, action)
        assert self.page.status == 200
        return self.page

    def press(self, button: str, fill: dict | None = None, *, within=None, ok: tuple[int, ...] = (200,),
              expect: str | None = None) -> Page:
        """Fill the form of BUTTON on the current page and send it; EXPECT: a flash that must appear."""
        action, data = self.page.form(button, within=within)
        data.update(fill or {})
        page = self.submit(action, data, ok=ok)
        if expect is not None:
            assert any(expect in f for f in page.flashes), (button, page.flashes, page.errors())
        return page


def _meets_demo_rules(people: list[Person]) -> bool:
    """seeds/data/election.json's 结构要求 for the 16 elected (上级提名 not counted)."""
    def count(pred) -> int:
        return sum(1 for p in people if pred(p))

    frontline = ("工人", "农民", "其他先进模范", "专业技术人员", "其他一线")
    return (count(lambda p: p.leader) <= 9 and count(lambda p: p.category in frontline) >= 7
            and count(lambda p: p.category in ("工人", "农民", "其他先进模范")) >= 3
            and count(lambda p: p.category == "工人") >= 1 and count(lambda p: p.category == "专业技术人员") >= 4
            and count(lambda p: p.gender == "女") >= 7 and count(lambda p: p.ethnicity != "汉族") >= 1
            and count(lambda p: p.young) >= 9)


def rows(page: Page, selector: str) -> list[list[str]]:
    return [[td.text_content().strip() for td in tr.findall("td")] for tr in select_all(page.tree, f"{selector} tbody tr")]


# ---------------------------------------------------------------------------------------------- the walk
@pytest.fixture
def demo(app, session):
    """The demo election as a district whose city is not on the system: the demo links it to the city's congress
    (seeds/levels_demo.py), and this walk types the city's consent, 批复 and 上级提名人选 in by hand, as such a
    district does (docs/manual/02-office.md); so the link is taken out first. The walk with the city deciding in the
    system is the levels' own browser test."""
    from election.levels.models import CongressUnit

    load_demo(session, today=DEMO_DAY)
    election = session.scalar(select(Election).where(Election.title == TITLE))
    for unit in session.scalars(select(CongressUnit).where(CongressUnit.election_id == election.id)):
        unit.election_id = None
    election.congress_id = None
    session.commit()
    return election


def test_demo_election_walks_from_nomination_to_result(client, demo):
    b = Browser(client)
    today = today_local()
    later = today + timedelta(days=14)
    due = {d.stage: d.due_date for d in demo.dues}  # the demo's plan, in the sample's working-day rhythm
    assert due["report"] < today
    calendar = WorkCalendar()

    def working_day(stage: str, n: int) -> date:
        return shift_working_days(calendar, due[stage], n)

    age_ref = due["ballot"]  # the demo's 年龄计算基准日 follows its election day

    # --- 3. 推荐提名 -------------------------------------------------------------------------------------------
    b.login("office")
    b.get("/elections/")
    detail = b.follow(TITLE).url
    page = b.get(detail)
    assert page.stage == "推荐提名"
    assert any("尚未报送推荐人选" in x for x in page.blockers)
    unit_rows = {r[0]: r for r in rows(page, '[data-testid="units"]')}
    unit_links = dict(page.links_in('[data-testid="units"]'))
    assert sum(1 for r in unit_rows.values() if r[5] == "已提交") == 9

    # the demo's 推荐提名 has closed: a unit can no longer change or submit its list …
    b.login("unit07")
    b.get("/")
    page = b.follow("进入本单位名单")
    assert f"推荐提名已于{due['nominate'].isoformat()}截止" in page.text('[data-testid="edit-blockers"]')
    assert page.tree.xpath('//button[@data-testid="submit-button"][@disabled]')
    # … until the office re-opens it (「退回本单位名单」) with a date it may edit until (02-office.md §3)
    b.login("office")
    for name in ("和平街道党工委", "区交通运输局党委", "西城街道党工委", "长安街道党工委"):
        b.get(unit_links[name])
        b.press("退回", {"reason": "演示：延长报送时间", "until": later.isoformat()}, expect="已退回该单位的名单")

    # two complete drafts are submitted as they are (unit07 = 和平街道, unit19 = 区交通运输局)
    for user in ("unit07", "unit19"):
        _unit_submits(b, user)

    # 西城街道 (unit03) lacks two 基层一线: added one by one with 「逐条添加」
    b.login("unit03")
    b.get("/")
    b.follow("进入本单位名单")
    for seq, (given, birth) in enumerate((("海燕", date(1982, 5, 17)), ("建军", date(1979, 9, 3)))):
        female = seq == 0
        b.follow("逐条添加")
        b.press("保存", {"name": "沈" + given, "gender": "女" if female else "男", "ethnicity": "汉族",
                         "id_number": make_id("110105", birth, 300 + seq, not female),
                         "birth_month": f"{birth.year}.{birth.month}", "native_place": "河北保定", "education": "大学本科",
                         "party_join_date": f"{birth.year + 24}年7月", "work_start_date": f"{birth.year + 22}-08",
                         "workplace_title": "西城街道社区党委书记", "category": "其他一线"},
                expect="已添加推荐人选")
    _unit_submits(b, "unit03", logged_in=True)

    # 长安街道 (unit08) has nothing yet: it fills the downloaded template and uploads it
    b.login("unit08")
    b.get("/")
    b.follow("进入本单位名单")
    template = client.get(b.page.link("下载本单位名单模板（Excel）"))
    assert template.status_code == 200
    filled = _fill_template(template.data)
    b.press("上传并检查", {"file": (io.BytesIO(filled), "长安街道.xlsx")}, expect="上传成功：已保存17名")
    _unit_submits(b, "unit08", logged_in=True)

    # every other unit is exempted by the office in the 「推荐单位」 table's 「免报」 column
    b.login("office")
    page = b.get(detail)
    for tr in select_all(page.tree, '[data-testid="units"] tbody tr'):
        if tr.findall(".//form"):
            b.press("免报", {"reason": "演示：本单位本次不报送"}, within=tr, expect="已登记免报")
    page = b.get(detail)
    statuses = [r[5] for r in rows(page, '[data-testid="units"]')]
    assert statuses.count("已提交") == 13 and statuses.count("已免报") == 10
    page = _advance(b, detail, "确定考察对象")

    # --- 4. 确定考察对象 ---------------------------------------------------------------------------------------
    b.follow("考察与公示")
    page = b.follow("确定考察对象")
    pool = _people(page, age_ref)
    assert len(pool) == 13 * 17
    shortlist = _pick(pool, leaders=8, frontline=16)
    page = b.press("重新核算", {"nominee_id": [str(p.id) for p in shortlist]})
    assert "当前勾选：24名" in page.text('[data-testid="counters"]')
    page = b.press("保存考察对象名单", {"nominee_id": [str(p.id) for p in shortlist]}, expect="已保存考察对象24名")
    meeting = working_day("shortlist", -1)
    _record_decision(b, detail, "确定考察对象的会议", "区委常委会", meeting, f"区委常纪〔{meeting.year}〕5号")
    _advance(b, detail, "考察并第一次公示")

    # --- 5. 考察并第一次公示 -------------------------------------------------------------------------------------
    b.get(detail)
    board = b.follow("考察与公示")
    people = board.links_in('[data-testid="vetting-board"]')
    assert len(people) == 24
    for _, href in people:  # 「考察组分工」: the office assigns the 考察组 member
        b.get(href)
        b.press("分配", {"user_id": _option(b.page, "user_id", "考察组 李明")}, expect="已分配考察组成员")
    b.login("discipline")  # 纪检 hears every 考察对象 before a 通过 (04-vetting.md)
    for _, href in people:
        b.get(href)
        b.press("录入纪检机关意见", {"opinion": "经查，未发现违纪违法问题。"}, expect="纪检机关意见已录入")
    b.login("inspector")
    b.get(detail)
    board = b.follow("考察与公示")
    assert sorted(board.links_in('[data-testid="vetting-board"]')) == sorted(people)
    for _, href in people:
        b.get(href)
        material = {"file_audit": "passed", "petition_check": "无信访举报", "appraisal_count": "45",
                    "interview_count": "12", "integrity_received": "y"}
        shown = b.page.form("保存考察材料")[1]
        if "personal_report_check" in shown:  # the field is there for a 领导干部 only
            material["personal_report_check"] = "个人有关事项报告已查核，如实报告"
        if "from_enterprise" in shown:  # ticked for an enterprise's employee
            material["regulator_opinion"] = "无不良记录"
        b.press("保存考察材料", material, expect="考察材料已保存")
        b.press("登记结论", {"conclusion": "passed"}, expect="考察结论已登记")
        assert "通过" in b.page.text('[data-testid="conclusion"]')

    b.login("office")
    b.get(detail)
    b.follow("考察与公示")
    b.follow("公示与反映")
    posted = working_day("shortlist", 1)  # the demo plan's dates: 5 working days, over long ago
    # a date before today's stage began, entered now: refused without a 补登理由, kept with one
    b.press("生成公示草稿", {"posted_on": posted.isoformat()}, expect="请填写补登理由")
    b.press("生成公示草稿", {"posted_on": posted.isoformat(), "backdate_reason": BACKDATE}, expect="公示草稿已生成")
    notices = b.page.links_in('[data-testid="notices"]')
    assert len(notices) == len({p.unit for p in shortlist})
    for _, href in notices:
        b.get(href)
        b.press("发布公示", expect="公示已发布")
    # one 反映 during the 公示: registered, 交办 to 纪检, checked by 纪检, 办结 by the office
    notice_url = notices[0][1]
    b.get(notice_url)
    b.press("登记反映", {"channel": "phone", "received_on": (posted + timedelta(days=1)).isoformat(),
                         "content": "反映其工作作风问题"}, expect="反映已登记")
    b.press("交办", {"user_id": _option(b.page, "user_id", "纪检 张锋")}, expect="反映已交办")
    b.login("discipline")
    b.get(notice_url)
    b.press("登记核查情况", {"findings": "经核查，反映问题不属实。"}, expect="核查情况已登记")
    b.login("office")
    b.get(notice_url)
    b.press("办结", {"conclusion": _option(b.page, "conclusion", "不属实"), "effect": "不影响其继续作为考察对象"}, expect="反映已办结")
    _advance(b, detail, "确定初步人选并第二次公示")

    # --- 6. 确定初步人选并第二次公示 ---------------------------------------------------------------------------------
    b.get(detail)
    b.follow("考察与公示")
    page = b.follow("确定初步人选")
    passed = _people(page, age_ref)
    assert sorted(p.id for p in passed) == sorted(p.id for p in shortlist)
    preliminary = _pick(passed, leaders=5, frontline=16)
    b.press("保存初步人选名单", {"nominee_id": [str(p.id) for p in preliminary]}, expect="已保存初步人选21名")
    # 纪检机关意见: every 初步人选 already has one from the 考察 (the board says so)
    board = b.follow("考察工作")
    assert all(r[8] == "已录入" for r in rows(board, '[data-testid="vetting-board"]'))
    meeting, consent = working_day("vet", 1), working_day("vet", 2)
    _record_decision(b, detail, "确定初步人选的会议", "区委常委会", meeting, f"区委常纪〔{meeting.year}〕8号")
    _record_decision(b, detail, "上级党委对初步人选的意见", "市委组织部", consent, f"市组函〔{consent.year}〕21号")
    b.get(detail)
    b.follow("考察与公示")
    b.follow("公示与反映")
    b.press("生成公示草稿", {"posted_on": working_day("vet", 3).isoformat(), "backdate_reason": BACKDATE},
            expect="公示草稿已生成")
    second = [href for title, href in b.page.links_in('[data-testid="notices"]') if title.endswith("初步人选公示")]
    assert len(second) == 1
    b.get(second[0])
    b.press("发布公示", expect="公示已发布")
    _advance(b, detail, "确定预备人选")

    # --- 7. 确定预备人选 --------------------------------------------------------------------------------------
    b.get(detail)
    page = b.follow("预备人选")
    listed = [int(tr.find(".//input").get("value"))
              for tr in select_all(page.tree, '[data-testid="preliminary"] tbody tr')]
    assert sorted(listed) == sorted(p.id for p in preliminary)
    not_circled = max((p for p in preliminary if p.leader), key=_rank)  # the 全委会 circles 20 of the 21
    confirmed = [p for p in preliminary if p is not not_circled]
    plenum, approval = working_day("confirm", -1), working_day("confirm", 1)
    b.press("保存圈选结果", {"body": "区委全委会", "held_on": plenum.isoformat(), "members": "35",
                             "attendance": "33", "mode": "list", "chosen": [str(p.id) for p in confirmed]},
            expect="已确定预备人选20名")
    _record_decision(b, detail, "确定预备人选的全委会", "区委全委会", plenum, f"区委全纪〔{plenum.year}〕2号")
    _record_decision(b, detail, "上级党委对预备人选的批复", "市委组织部", approval, f"市组复〔{approval.year}〕9号")
    b.get(detail)
    b.follow("预备人选")
    b.press("登记批复名单", expect="已登记批复名单：同意20名")
    # the demo plan has 3 上级提名 seats (另计): their candidates join the ballot
    higher = [("欧阳明", "男", date(1968, 6, 2), "汉族", "局级领导干部", "市委组织部副部长"),
              ("程丽", "女", date(1975, 11, 20), "汉族", "处级领导干部", "市委办公室处长"),
              ("马国庆", "男", date(1980, 10, 1), "回族", "专业技术人员", "市第一人民医院主任医师")]
    for name, gender, birth, ethnicity, category, title in higher:
        b.press("登记上级提名人选", {"name": name, "gender": gender, "birth_date": birth.isoformat(),
                                     "ethnicity": ethnicity, "category": category, "workplace_title": title},
                expect=f"已登记上级提名人选“{name}”")
    assert len(b.page.tree.xpath('//ul[@data-testid="higher"]/li')) == 3
    _advance(b, detail, "差额选举")

    # --- 8. 差额选举 ------------------------------------------------------------------------------------------
    b.get(detail)
    page = b.follow("选举大会与投票")
    assert "下一轮：第1轮，正式选举，应选19名，候选人23名" in page.text('[data-testid="pending"]')
    for name, duty in (("周建华", "监票人"), ("吴晓燕", "计票人")):
        b.press("登记", {"name": name, "duty": _option(b.page, "duty", duty)}, expect=f"已登记“{name}”")
    eligible, present = 308, 300
    page = b.press_get("核对法定人数", {"eligible": str(eligible), "present": str(present)})
    assert "符合法定人数，可以选举" in page.text('[data-testid="quorum"]')
    page = b.press("登记并开始计票", {"eligible": str(eligible), "present": str(present), "ballots_issued": "300",
                                      "ballots_collected": "300", "count_mode": "totals"}, expect="第1轮（正式选举）开始")
    round_url = page.url
    # who is elected: the 3 上级提名 and 16 of the 20 预备人选, so that the 结构要求 hold
    losers = (sorted((p for p in confirmed if p.leader), key=_rank)[-2:]
              + sorted((p for p in confirmed if p.category == "其他一线"), key=_rank)[-2:])
    elected_people = [p for p in confirmed if p not in losers]
    assert _meets_demo_rules(elected_people)
    losing = {p.name for p in losers}
    for n, teller in ((1, "teller"), (2, "teller2")):  # two 监票计票人员, each on their own account (05-tellers.md)
        b.login(teller)
        b.get(round_url)
        page = b.follow(f"录入第{n}次")
        fill = {"valid": "298", "invalid": "2"}
        for tr in select_all(page.tree, '[data-testid="entry-form"] tbody tr'):
            name = tr.findall("td")[0].text_content().strip()
            i = tr.find(".//input").get("name").removeprefix("for-")
            fill[f"for-{i}"], fill[f"against-{i}"] = ("120", "150") if name in losing else ("250", "40")
        b.press(f"保存第{n}次录入", fill, expect=f"第{n}次录入已保存")
    assert b.page.tree.xpath('//*[@data-testid="entries-agree"]')
    b.press("确认计票结果", expect="计票结果已确认")
    assert b.page.text('[data-testid="round-status"]') == "计票已确认"

    # the office closes the round: the confirmed totals are tallied by the rules (过半数, 并列)
    b.login("office")
    b.get(round_url)
    page = b.press("结束本轮并计算结果", expect="本轮计票结束")
    assert "本轮结果：" in page.text('[data-testid="round-result"] h2')
    b.get(detail)
    b.follow("选举大会与投票")
    assert "应选名额已全部选出" in b.page.text('[data-testid="state"]')
    page = b.follow("选举结果")
    b.press("录入选举结果", expect="选举结果已录入：当选代表19名")
    assert not b.page.tree.xpath('//*[@data-testid="quota-warnings"]'), b.page.text('[data-testid="quota-warnings"]')
    _advance(b, detail, "结果上报")

    # --- 9. 结果上报 ------------------------------------------------------------------------------------------
    b.get(detail)
    page = b.follow("选举结果")
    for label in ("选举情况报告（.docx）", "当选代表名册（.docx）", "当选代表登记表（.docx）"):
        response = client.get(page.link(label))
        assert response.status_code == 200 and response.data[:2] == b"PK", label
    b.press("登记上报", {"reported_on": due["report"].isoformat(), "doc_number": f"区委组〔{due['report'].year}〕15号"},
            expect="已登记选举结果上报")
    page = _advance(b, detail, "已完成")
    assert not page.tree.xpath('//button[starts-with(normalize-space(), "进入")]')

    # the result: 19 当选 (16 + 3 上级提名), on the results page and in the elections list
    page = b.follow("选举结果")
    elected = page.text('[data-testid="elected-names"]').split("、")
    assert sorted(elected) == sorted([p.name for p in elected_people] + [h[0] for h in higher])
    assert "当选代表（按姓氏笔画排序，共19名）" in page.text('[data-testid="elected"] h2')
    votes = {r[0]: r for r in rows(page, '[data-testid="votes-1"]')}
    assert all(votes[n][4] == "当选" for n in elected) and all(votes[p.name][4] == "未当选" for p in losers)
    overview = {r[0]: r for r in rows(b.get("/elections/"), '[data-testid="elections"]')}
    assert overview[TITLE][1] == "已完成"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    gender: str
    ethnicity: str
    birth: date
    unit: str
    category: str
    young: bool  # under 50 on the 年龄计算基准日

    @property
    def leader(self) -> bool:
        return self.category in ("局级领导干部", "处级领导干部")


def _people(page: Page, age_ref: date) -> list[Person]:
    """The rows of a selection page (确定考察对象 / 确定初步人选)."""
    out = []
    for tr in select_all(page.tree, '[data-testid="pool"] tbody tr'):
        cells = [td.text_content().strip() for td in tr.findall("td")]
        year, month = map(int, re.findall(r"\d+", cells[4])[:2])
        young = (age_ref.year - year) - ((age_ref.month, age_ref.day) < (month, 1)) < 50
        out.append(Person(int(tr.find(".//input").get("value")), cells[1], cells[2], cells[3], date(year, month, 1),
                          cells[5], cells[7], young))
    return out


def _rank(p: Person) -> tuple:
    """Who helps the structure rules (women, 少数民族, under 50) comes first; then by name for a stable order."""
    return (p.ethnicity == "汉族", p.gender != "女", not p.young, p.name, p.id)


def _pick(pool: list[Person], *, leaders: int, frontline: int) -> list[Person]:
    """A list that can meet the demo's 结构要求: 2 工人, 2 农民, 1 其他先进模范, 6 专业技术人员, the rest 其他一线."""
    ranked = sorted(pool, key=_rank)
    wanted = {"工人": 2, "农民": 2, "其他先进模范": 1, "专业技术人员": 6}
    wanted["其他一线"] = frontline - sum(wanted.values())
    chosen = [p for p in ranked if p.leader][:leaders]
    for category, n in wanted.items():
        chosen += [p for p in ranked if p.category == category][:n]
    assert len(chosen) == leaders + frontline
    return chosen


def _option(page: Page, name: str, label: str) -> str:
    for element in page.tree.iter("select"):
        if element.get("name") == name:
            for o in element.iter("option"):
                if label in o.text_content():
                    return o.get("value")
    raise AssertionError(f"{page.url}: no option {label} in {name}")


def _record_decision(b: Browser, detail: str, kind: str, body: str, held_on: date, doc_number: str) -> None:
    """「决定与批复」→「登记决定」: 「事项」, 「决定机关 / 会议」, 「日期」, 「文号 / 纪要号」, 「登记」."""
    page = b.get(detail)
    b.press("登记", {"kind": _option(page, "kind", kind), "body": body, "held_on": held_on.isoformat(),
                     "doc_number": doc_number}, expect=f"已登记{kind}")
    row = next(r for r in rows(b.page, '[data-testid="decisions"]') if r[0] == kind)
    assert row[1] == body and row[3] == doc_number


def _unit_submits(b: Browser, user: str, *, logged_in: bool = False) -> None:
    if not logged_in:
        b.login(user)
        b.get("/")
        b.follow("进入本单位名单")
    page = b.page
    assert select_all(page.tree, '[data-testid="list-ok"]'), (user, page.text('[data-testid="compliance"]'))
    b.press("提交", expect="名单已提交并锁定")
    assert "已提交" in b.page.text('[data-testid="list-status"]')


def _fill_template(data: bytes) -> bytes:
    """17 people in the unit's template: 6 局级, 3 处级, 8 基层一线, as the unit's allocation asks."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["名单"]
    col = {c.field: i for i, c in enumerate(COLUMNS, start=1)}
    people = ([("局级领导干部", "长安街道党工委副书记")] * 6 + [("处级领导干部", "长安街道办事处科长")] * 3
              + [("工人", "长安街道某厂钳工"), ("农民", "长安街道某村村民"), ("其他先进模范", "长安街道某社区志愿者"),
                 ("专业技术人员", "长安街道社区医院主治医师"), ("专业技术人员", "长安街道某校教师"),
                 ("专业技术人员", "长安街道某所工程师"), ("其他一线", "长安街道某社区网格员"),
                 ("其他一线", "长安街道某公司职员")])
    surnames = "丁万卫马方尹卢叶田冯吕任华江汤许孙"
    for i, (category, title) in enumerate(people):
        female = i % 2 == 1
        birth = date(1970 + i, 1 + i % 12, 10)
        row = FIRST_DATA_ROW + i
        values = {"name": surnames[i] + ("秀英" if female else "志强"), "gender": "女" if female else "男",
                  "ethnicity": "回族" if i == 9 else "汉族", "id_number": make_id("130102", birth, 200 + i, not female),
                  "birth_month": f"{birth:%Y-%m}", "native_place": "河北石家庄", "education": "大学本科",
                  "party_join_date": f"{birth.year + 25}-07", "work_start_date": f"{birth.year + 22}-08",
                  "workplace_title": title, "category": category}
        for key, value in values.items():
            ws.cell(row=row, column=col[key], value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _advance(b: Browser, detail: str, target: str) -> Page:
    """Press 「进入“TARGET”阶段」 on the detail page (with an 逾期说明 when the stage is overdue)."""
    page = b.get(detail)
    label = f"进入“{target}”阶段"
    assert not page.blockers, page.blockers
    fill = {"reason": "演示数据的计划截止日期已过，按演示继续推进"} if select_all(page.tree, "#overdue-reason") else {}
    page = b.press(label, fill, expect=f"已进入“{target}”阶段")
    assert page.stage == target
    return page
