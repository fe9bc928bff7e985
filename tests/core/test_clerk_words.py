"""The clerk's words: no page a role may open shows a developer's word.

The demo (seeds/demo.py) is loaded, every demo account logs in, and every GET page its role may open (the routes
and their roles come from the one declared table, tests/security/authz_table.py) is rendered with ids of demo
objects the account may see. The visible text — tags, attributes, scripts and styles stripped — must hold no
identifier-like ASCII word: snake_case or dotted words (``min_share``, ``where.gender``, ``user.login``,
``domain.md``), file names of the code, lower-case codes (``yantian``), "UTC", "#243"-style ids. The failure names
the page, the role and the word.
"""
from __future__ import annotations

import re

import lxml.html
import pytest
from sqlalchemy import select

from election.accounts.models import User
from seeds.demo import DEMO_PASSWORD, load_demo
from tests.fixtures.demo_walk import ACCOUNTS, DEMO_DAY, page_urls

# What a clerk does meet in Latin letters, and why:
ALLOWED = {
    "PDF", "Excel", "Word", "WPS", "API", "URL", "HTTP", "HTTPS", "Basic", "Bearer", "JSON", "OpenAPI",  # help texts
    "GB/T", "ID", "X",  # GB/T 9704 公文格式; 身份证号 末位 X
    "SMTP", "CSV", "HTML",
}
# office documents a clerk downloads or uploads: "推荐人选名单.xlsx" in a download label is a clerk's word
DOCUMENT_EXTENSIONS = {"xlsx", "xls", "docx", "doc", "pdf", "csv", "png", "jpg", "jpeg"}

_SNAKE = re.compile(r"(?<![\w.])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w])")
_DOTTED = re.compile(r"(?<![\w/.@-])[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+(?![\w])")
_FILE = re.compile(r"[\w\u4e00-\u9fff-]*\.([A-Za-z]{2,5})\b")
_LOWER = re.compile(r"(?<![\w@.:/-])[a-z][a-z0-9]{2,}(?![\w@.:/-])")
_UTC = re.compile(r"\bUTC\b")
_HASH_ID = re.compile(r"(?<![\w&])#\d+")
_URLISH = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b")


def visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script | //style | //head | //template"):
        bad.drop_tree()
    return " ".join(t for t in tree.itertext())


def identifier_words(text: str, allowed_lower: frozenset[str] = frozenset()) -> list[str]:
    """The identifier-like ASCII words in TEXT (each once, in order of appearance)."""
    text = _URLISH.sub(" ", text)
    found: list[str] = []
    for pattern in (_SNAKE, _DOTTED, _UTC, _HASH_ID):
        found += [m.group(0) for m in pattern.finditer(text)]
    for m in _FILE.finditer(text):
        if m.group(1).lower() not in DOCUMENT_EXTENSIONS and m.group(0) not in found and m.group(1).isalpha():
            if re.fullmatch(r"[\w\u4e00-\u9fff-]+\.[A-Za-z]+", m.group(0)) and not m.group(0).startswith("."):
                found.append(m.group(0))
    found += [m.group(0) for m in _LOWER.finditer(text) if m.group(0) not in allowed_lower]
    dotted_ok = {f".{ext}" for ext in DOCUMENT_EXTENSIONS}
    out: list[str] = []
    for word in found:
        ext = word.rsplit(".", 1)[-1].lower() if "." in word else ""
        if word in ALLOWED or word in out or (ext in DOCUMENT_EXTENSIONS and f".{ext}" in dotted_ok
                                               and "_" not in word and word.count(".") == 1):
            continue
        out.append(word)
    return out


@pytest.mark.parametrize(("text", "words"), [
    ("依据：domain.md §2", ["domain.md"]),
    ("min_share 30%", ["min_share"]),
    ("条件 where.gender = 女", ["where.gender"]),
    ("类型 duty_reception", ["duty_reception"]),
    ("规则 yantian", ["yantian"]),
    ("user.login nominees #243", ["user.login", "#243", "nominees"]),
    ("时间（UTC）", ["UTC"]),
    ("下载 推荐人选名单.xlsx、PDF、GB/T 9704、Excel", []),
    ("身份证号末位为 X，接口见 /api/v1/docs，邮箱 zzb@example.cn", []),
])
def test_identifier_words_finds_developer_words_only(text, words):
    assert identifier_words(text) == words


@pytest.fixture
def demo(app, session):
    load_demo(session, today=DEMO_DAY)


def test_no_page_shows_a_developer_word(app, session, client, demo):
    usernames = frozenset(session.scalars(select(User.username)))
    findings: list[str] = []
    seen: set[str] = set()
    for role, username in ACCOUNTS.items():
        user = session.scalar(select(User).where(User.username == username))
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, f"{username} 无法登录"
        for endpoint, url in page_urls(app, session, role, user):
            response = client.get(url)
            if response.status_code != 200 or not response.mimetype.startswith("text/html"):
                continue
            for word in identifier_words(visible_text(response.get_data(as_text=True)), usernames):
                key = f"{endpoint}|{word}"
                if key not in seen:
                    seen.add(key)
                    findings.append(f"{role.label}（{username}）{url}［{endpoint}］：{word}")
    assert not findings, "页面上出现了开发者用语：\n" + "\n".join(findings)
