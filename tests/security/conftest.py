"""The security tests that start real ``jambot serve`` processes use the production tests'
fixtures (a Slack stand-in, a server factory that stops what it started)."""

from production.conftest import servers, slack_standin  # noqa: F401  (fixtures, used by name)
