"""The password policy and one-time passwords.

A password is at least 10 characters, is not the username (nor contains it), and is not weak or common as judged
by zxcvbn (score 3 of 4 or better, with the user's own names counted as guessable); the reason comes back in
Chinese. One-time passwords (an account the admin makes, a reset) are random, 12 letters and digits with no
look-alikes (0/O, 1/l/I), printed once on the 账号通知单 and stored only as a hash.
"""
from __future__ import annotations

import secrets

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 0 too guessable … 4 very unguessable; 3 = "safely unguessable"
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_WARNINGS = {  # zxcvbn's warnings, in the user's language
    "top-10": "这是最常见的密码之一", "top-100": "这是很常见的密码", "very common": "这是很常见的密码",
    "similar to a commonly used": "与常见密码很相似", "keyboard": "是键盘上连续的按键",
    "repeats like": "含有重复的字符", "sequences like": "含有连续的字母或数字", "recent years": "含有年份",
    "dates are": "含有日期", "names and surnames": "含有姓名", "a word by itself": "只是一个单词",
}


def password_problem(password: str, username: str = "", names: tuple[str, ...] = ()) -> str:
    """"" when the password is acceptable, else what is wrong with it (Chinese)."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要{MIN_LENGTH}个字符"
    if username and username.strip().lower() in password.lower():
        return "密码不能是用户名，也不能包含用户名"
    result = zxcvbn(password[:100], user_inputs=[n for n in (username, *names) if n])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or ""
        why = next((text for key, text in _WARNINGS.items() if key in warning), "容易被猜到")
        return f"密码太弱：{why}。请使用更长、更没有规律的密码，例如几个不相关的词加数字和符号"
    return ""


def one_time_password() -> str:
    """12 random letters and digits without look-alikes, as 4-4-4 for reading off a slip."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
