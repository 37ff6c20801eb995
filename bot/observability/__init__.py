"""Logs and metrics for operators: structured JSON logs, Prometheus metrics at /metrics."""
