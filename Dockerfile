# Jämbot production image: `docker build -t jambot .` then see compose.yaml / docs/production.md.
# Two stages: the build stage compiles and installs into a virtual environment; the runtime
# stage copies only that environment, so no compiler, pip cache or source tree ships.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/jambot
# Every version is pinned by the lock file (-c): the image gets exactly what CI tested.
COPY requirements.lock pyproject.toml README.md ./
COPY bot ./bot
COPY chat ./chat
COPY knowledge ./knowledge
COPY reminders ./reminders
RUN /opt/jambot/bin/pip install -c requirements.lock .

FROM python:3.11-slim AS runtime
LABEL org.opencontainers.image.title="Jämbot" \
      org.opencontainers.image.description="Slack and Teams bot for gender mainstreaming in Swedish regions"
RUN groupadd --system --gid 10001 jambot \
 && useradd --system --uid 10001 --gid jambot --home-dir /var/lib/jambot --create-home \
      --shell /usr/sbin/nologin jambot
COPY --from=build /opt/jambot /opt/jambot
COPY config/jambot.yaml /etc/jambot/jambot.yaml
ENV PATH=/opt/jambot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    JAMBOT_CONFIG=/etc/jambot/jambot.yaml \
    JAMBOT_LOG_FORMAT=json \
    JAMBOT_PORT=3978 \
    DATABASE_URL=sqlite:////var/lib/jambot/jambot.db \
    JAMBOT_DATA_DIR=/var/lib/jambot \
    JAMBOT_EMBEDDINGS_CACHE=/var/lib/jambot/vectors
WORKDIR /var/lib/jambot
USER 10001:10001
EXPOSE 3978
# No curl in a slim image: the standard library asks /healthz (200 = process and database fine).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/healthz' % os.environ.get('JAMBOT_PORT', '3978'); sys.exit(0 if urllib.request.urlopen(url, timeout=4).status == 200 else 1)"]
# Exec form: jambot is PID 1 and receives SIGTERM itself, finishes in-flight requests
# and the running scheduler job, then exits 0 (docker stop / Kubernetes rolling updates).
STOPSIGNAL SIGTERM
CMD ["jambot", "serve", "--host", "0.0.0.0"]
