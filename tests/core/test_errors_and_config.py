from __future__ import annotations

import pytest

from election import create_app
from election.core.config import ConfigError


def test_production_refuses_default_secret_key():
    with pytest.raises(ConfigError, match="ELECTION_SECRET_KEY"):
        create_app({"ENV_NAME": "production", "DATABASE_URL": "sqlite://"})


def test_production_refuses_missing_secret_key():
    with pytest.raises(ConfigError):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "", "DATABASE_URL": "sqlite://"})


def test_production_starts_with_a_real_key_and_secure_cookies():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://",
                      "AUDIT_KEY": "a" * 32})  # the audit chain's key too (tests/audit/test_keyed_chain.py)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    create_app({})  # back to the development audit key for the tests after this one


def test_config_from_prefixed_environment(monkeypatch):
    monkeypatch.setenv("ELECTION_DATABASE_URL", "sqlite:////tmp/from-env.db")
    assert create_app().config["DATABASE_URL"] == "sqlite:////tmp/from-env.db"


def test_unexpected_error_gives_chinese_500_without_traceback(app, client, login_as):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    login_as("office")
    response = client.get("/_boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "系统内部错误" in body
    assert "Traceback" not in body and "secret internals" not in body


def test_unknown_page_is_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_behind_a_proxy_the_forwarded_scheme_and_address_are_trusted_only_when_configured(engine):
    from flask import request

    from election import create_app

    url = engine.url.render_as_string(hide_password=False)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": "xj.example.cn"}
    for proxies, expected in ((0, ("http", "127.0.0.1", "localhost")), (1, ("https", "203.0.113.7", "xj.example.cn"))):
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key-0123456789",
                          "PROXY_COUNT": proxies})

        @app.get("/_probe")
        def probe():
            return f"{request.scheme} {request.remote_addr} {request.host}"

        got = app.test_client().get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert tuple(got.get_data(as_text=True).split()) == expected


def test_wtforms_own_messages_are_chinese_and_say_what_to_fix(app):
    from wtforms import DateField, IntegerField, SelectField, StringField
    from wtforms.validators import Length

    from election.core.forms import Form

    class Probe(Form):
        choice = SelectField("选项", choices=[("a", "甲")])
        number = IntegerField("数字")
        day = DateField("会议日期")
        name = StringField("名称（必填）", validators=[Length(max=3)])

    data = {"choice": "zzz", "number": "x", "day": "2026-02-30", "name": "四个汉字"}
    with app.test_request_context("/", method="POST", data=data):
        form = Probe()
        assert not form.validate()
        assert form.choice.errors == ["请从列表中选择选项"]
        assert form.number.errors == ["数字应为整数，如 12"]
        assert form.day.errors == ["会议日期应为日期，如 2026-03-02"]
        assert form.name.errors == ["名称不能超过3个字符（现有4个），请删减"]
