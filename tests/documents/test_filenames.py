"""One rule for the names of generated documents: {选举名称}_{文书名称}_{YYYYMMDD}.docx|.xlsx, sanitised, and the
UTF-8 name carried in Content-Disposition (filename*)."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import pytest

from election.documents.filenames import MAX_LENGTH, content_disposition, document_filename
from election.vetting import services as svc
from tests.vetting.test_services import NOW, build_world

DAY = dt.date(2026, 3, 1)


def test_filename_follows_the_rule():
    assert document_filename("某区出席市第十二次党代会代表选举", "预备人选名册", DAY) == \
        "某区出席市第十二次党代会代表选举_预备人选名册_20260301.docx"
    assert document_filename("某区选举", "当选代表名册", DAY, "xlsx") == "某区选举_当选代表名册_20260301.xlsx"
    assert document_filename("某区选举", "名册", DAY, ".XLSX").endswith("_20260301.xlsx")


def test_filename_without_an_election_keeps_name_and_date():
    assert document_filename("", "组织机构", DAY, "xlsx") == "组织机构_20260301.xlsx"


@pytest.mark.parametrize("bad", list('/\\:*?"<>|') + ["\x00", "\x1f", "\x7f", "\n", "\t"])
def test_filename_drops_characters_a_file_system_refuses(bad):
    name = document_filename(f"某区{bad}选举", f"名{bad}册", DAY)
    assert bad not in name
    assert not re.search(r'[/\\:*?"<>|\x00-\x1f\x7f]', name)
    assert name.endswith("_20260301.docx")


def test_filename_is_length_limited_and_keeps_date_and_extension():
    name = document_filename("很长的选举名称" * 40, "很长的文书名称" * 20, DAY)
    assert len(name) <= MAX_LENGTH
    assert name.endswith("_20260301.docx") and name.count("_") >= 2


def test_filename_trims_dots_and_blanks_at_the_ends():
    assert document_filename("  ..某区选举.. ", " 名册 ", DAY) == "某区选举_名册_20260301.docx"
    assert document_filename("", "   ", DAY) == "文书_20260301.docx"


def test_content_disposition_carries_the_utf8_name_and_an_ascii_fallback():
    name = document_filename("某区选举", "预备人选名册", DAY)
    header = content_disposition(name)
    assert header.startswith("attachment; filename=\"document.docx\"; ")
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)
    assert unquote(encoded) == name and encoded.isascii()


def _disposition_name(response) -> str:
    header = response.headers["Content-Disposition"]
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert match, header
    return unquote(match.group(1))


def test_vetting_downloads_use_the_rule(client, login_as, session, make_election, make_user):
    world = build_world(session, make_election, make_user)
    svc.select_shortlist(session, world.office, world.election.id, [n.id for n in world.people.values()], NOW)
    world.election.stage = "vet"
    session.commit()
    login_as("auditor")
    title = re.escape(document_filename(world.election.title, "x", DAY).rsplit("_x_", 1)[0])
    for kind, label in (("shortlisted", "考察对象"), ("nominated", "推荐人选")):
        response = client.get(f"/vetting/{world.election.id}/docs/roster-{kind}.docx")
        assert response.status_code == 200
        assert re.fullmatch(rf"{title}_{label}名册_\d{{8}}\.docx", _disposition_name(response))
    response = client.get(f"/vetting/{world.election.id}/docs/report.docx")
    assert re.fullmatch(rf"{title}_情况报告_\d{{8}}\.docx", _disposition_name(response))
