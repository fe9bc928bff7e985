from __future__ import annotations

from election import create_app


def test_post_without_csrf_token_is_refused_in_chinese(engine):
    app = create_app({"TESTING": True, "DATABASE_URL": engine.url.render_as_string(hide_password=False),
                      "SECRET_KEY": "test-secret-key-0123456789"})
    client = app.test_client()
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "表单校验失败" in response.get_data(as_text=True)
