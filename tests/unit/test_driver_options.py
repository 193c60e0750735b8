"""A database URL's prepare_threshold: psycopg's keyword, taken off the URL before libpq sees it (core.db)."""
import pytest

from threeassets.core.db import driver_options


@pytest.mark.parametrize(("url", "bare", "options"), [
    ("postgresql://u:p@127.0.0.1:6432/books?prepare_threshold=none", "postgresql://u:p@127.0.0.1:6432/books",
     {"prepare_threshold": None}),
    ("postgresql://u:p@h/books?prepare_threshold=NONE&sslmode=require", "postgresql://u:p@h/books?sslmode=require",
     {"prepare_threshold": None}),
    ("postgresql+psycopg://u@h/books?prepare_threshold=0", "postgresql+psycopg://u@h/books",
     {"prepare_threshold": 0}),
    ("postgresql://u@h/books?prepare_threshold=12", "postgresql://u@h/books", {"prepare_threshold": 12}),
])
def test_the_parameter_becomes_a_keyword_and_leaves_the_url(url, bare, options):
    assert driver_options(url) == (bare, options)


def test_a_password_with_reserved_characters_survives():
    bare, options = driver_options("postgresql://clerk:s3cr%40t%2F@h:5432/books?prepare_threshold=none")
    assert bare == "postgresql://clerk:s3cr%40t%2F@h:5432/books" and options == {"prepare_threshold": None}


@pytest.mark.parametrize("url", ["postgresql://u:p@h/books", "postgresql://u:p@h/books?sslmode=require",
                                 "sqlite:////srv/threeassets/instance/threeassets.db"])
def test_other_urls_come_back_unchanged(url):
    assert driver_options(url) == (url, {})


@pytest.mark.parametrize(("url", "reason"), [
    ("postgresql://u@h/books?prepare_threshold=never", "must be a whole number or none, not 'never'"),
    ("postgresql://u@h/books?prepare_threshold=-1", "must be a whole number or none, not '-1'"),
    ("postgresql://u@h/books?prepare_threshold=%C2%B2", "must be a whole number or none, not '²'"),
    ("postgresql://u@h/books?prepare_threshold=1&prepare_threshold=2", "must be a whole number or none"),
    ("sqlite:////tmp/x.db?prepare_threshold=none", "is for PostgreSQL through psycopg 3 only"),
    ("postgresql+psycopg2://u@h/books?prepare_threshold=0", "is for PostgreSQL through psycopg 3 only"),
])
def test_a_value_that_does_not_read_is_refused_by_name(url, reason):
    with pytest.raises(ValueError, match="^database URL: prepare_threshold ") as caught:
        driver_options(url)
    assert reason in str(caught.value)
