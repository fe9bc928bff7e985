from __future__ import annotations


def test_security_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_in_templates():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_request_size_limit_is_a_chinese_413(client, login_as):
    login_as("office")
    response = client.post("/notifications/read", data={"x": "a" * (7 * 1024 * 1024)})
    assert response.status_code == 413 and "文件过大" in response.get_data(as_text=True)
