import pytest

from alliance.lib.env import EnvError, env_bool, env_list, env_rate


@pytest.mark.parametrize(
    ("raw", "expected"), [("True", True), ("false", False), ("1", True), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(raw, expected):
    assert env_bool("DEBUG", False, {"DEBUG": raw}) is expected


def test_a_missing_boolean_takes_its_default():
    assert env_bool("DEBUG", True, {}) is True


def test_a_bad_boolean_names_the_variable():
    with pytest.raises(EnvError, match=r"DEBUG must be True or False \(got 'maybe'\)"):
        env_bool("DEBUG", False, {"DEBUG": "maybe"})


def test_lists_are_split_on_commas():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.example, b.example"}) == [
        "a.example",
        "b.example",
    ]


def test_an_empty_list_item_names_the_variable():
    with pytest.raises(EnvError, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.example,,b.example"})


def test_a_rate_is_requests_per_period():
    assert env_rate("API_RATE", "1200/min", {}) == "1200/min"
    assert env_rate("API_RATE", "1200/min", {"API_RATE": "30/s"}) == "30/s"
    for bad in ("lots", "0/min", "100/week", "-5/s"):
        with pytest.raises(EnvError, match=r"API_RATE must be requests per period"):
            env_rate("API_RATE", "1200/min", {"API_RATE": bad})
