"""Every document title of the demo says each word once: the office opens every page of the demo's elections (three,
at different stages) and of its term-duty half, downloads every .docx linked there and reads its title, and reads
every page heading on the way; a doubled word (「选举选举」, 「名册名册」) fails the test, naming where it is."""
from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from docx import Document
from sqlalchemy import select

from election.accounts.models import User
from election.elections.models import Election
from seeds.demo import DEMO_PASSWORD, load_demo
from tests.fixtures.demo_walk import DEMO_DAY
from workflow.common.titles import doubled_words

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WITHIN = re.compile(r"^/(elections/\d+|vetting/|voting/|units/\d+|duties/review(/|$))")
MAX_PAGES = 400


def _links(url: str, html: str) -> set[str]:
    found = set()
    for href in lxml.html.fromstring(html).xpath("//a/@href"):
        parts = urlsplit(urljoin(url, href))
        if parts.netloc in ("", "localhost") and parts.path:
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _docx_title(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    first = next((p.text for p in doc.paragraphs if p.text.strip()), "")
    return f"{doc.core_properties.title or ''}｜{first}"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_document_title_of_the_demo_says_a_word_twice(app, session, client):
    assert load_demo(session, today=DEMO_DAY)
    assert client.post("/login", data={"username": "office", "password": DEMO_PASSWORD}).status_code == 302
    office = session.scalar(select(User).where(User.username == "office"))  # the district's three, not the city's
    elections = session.scalars(select(Election.id).where(Election.organisation_id == office.organisation_id)
                                .order_by(Election.id)).all()
    assert len(elections) == 3
    seen: set[str] = set()
    queue = deque([*(f"/elections/{e}" for e in elections), "/duties/review"])
    doubled: list[str] = []
    documents = 0
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.mimetype == DOCX:
            documents += 1
            title = _docx_title(response.data)
            doubled += [f"{url}：{title}（{w}）" for w in doubled_words(title)]
            continue
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        tree = lxml.html.fromstring(html)
        heading = " ".join(tree.xpath("//title/text()") + tree.xpath("//h1//text()"))
        doubled += [f"{url}：{heading.strip()}（{w}）" for w in doubled_words(heading)]
        for link in _links(url, html):
            path = link.split("?")[0]
            if (WITHIN.match(path) or path.endswith(".docx")) and "/delete" not in path and link not in seen:
                queue.append(link)
    assert documents >= 15, f"only {documents} documents reached from {len(seen)} pages"
    assert not doubled, "\n".join(doubled)
