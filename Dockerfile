# CCS production image: uvicorn (ASGI) serving Django; the same image runs the Celery worker and beat
# (see docker-compose.yml). Static files are collected at build time and served by whitenoise.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (quote PDFs) draws with Pango and HarfBuzz; DejaVu is the font the PDF template names.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
        libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system ccs && useradd --system --gid ccs --home-dir /app --no-create-home ccs
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

# Source stage: drops local-only files (developer .env, .venv, local database, caches) so that they
# never reach a layer of the final image, even when the build context carries them.
FROM base AS source
COPY . /src
RUN cd /src && rm -rf .env .env.* .venv .local .git .ci staticfiles media test-artifacts node_modules \
        .pytest_cache && find . -name __pycache__ -prune -exec rm -rf {} +

FROM base
# Code and static files stay owned by root (read-only for the app); only MEDIA_ROOT is writable.
COPY --from=source /src /app
# Settings need these at import time; they are placeholders used only for this step.
RUN SECRET_KEY=build-only DJANGO_DEBUG=0 BASE_DOMAIN=example.com DATABASE_URL=postgres://x/x \
    REDIS_URL=redis://x:6379/0 CCS_SKIP_SETTINGS_CHECK=1 python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown ccs:ccs /app/media

USER ccs
EXPOSE 8000
# Host header = BASE_DOMAIN (public tenant, allowed host); X-Forwarded-Proto is trusted by uvicorn from
# 127.0.0.1 with --proxy-headers, so SECURE_SSL_REDIRECT does not turn the probe into a redirect.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD \
    python -c "import os, urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ.get('BASE_DOMAIN', 'localhost'), 'X-Forwarded-Proto': 'https'}), timeout=4)" || exit 1
CMD ["uvicorn", "ccs.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"]
