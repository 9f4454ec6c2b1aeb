"""Password hashing with Argon2id and the policy a new password must meet.

The policy: at least 10 characters, not one of the common passwords that guessing tools
try first, and not guessable in the sense of zxcvbn (score 3 of 4 or better: it weighs
dictionary words, names, keyboard runs, dates, repeats and the user's own name).
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from yunong.core.errors import InvalidValue

HASHER = PasswordHasher()
MIN_LENGTH = 10
MIN_SCORE = 3
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
DUMMY_HASH = HASHER.hash("no account has this password")
"""Checked against when the name is unknown, so that an unknown name costs as much time
as a known one and the answer time does not tell which names exist."""


def check_policy(password: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    """Refuse a password that is too short, common or easily guessed, saying why."""
    if len(password) < MIN_LENGTH:
        raise InvalidValue(f"密码至少 {MIN_LENGTH} 位")
    if password.lower() in COMMON_PASSWORDS:
        raise InvalidValue("密码过于常见，请换一个不常见的密码")
    inputs = [text for text in user_inputs if text]
    if zxcvbn(password[:100], user_inputs=inputs)["score"] < MIN_SCORE:
        raise InvalidValue(
            "密码太容易猜到：请加长，或混合几个不相关的词、数字和符号，"
            "不要使用用户名、连续键位、重复字符或日期"
        )


def hash_password(password: str, *, user_inputs: tuple[str, ...] = ()) -> str:
    """The Argon2id hash of a password that meets the policy."""
    check_policy(password, user_inputs=user_inputs)
    return HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def spend_a_check(password: str) -> None:
    """Take the time of one password check without an account to check against."""
    password_matches(DUMMY_HASH, password)
