# The production image: gunicorn, the Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango and fonts; make runs the same targets as on a developer's machine.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip setuptools && pip install .

COPY . .
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only-never-used-to-sign-anything-0123456789 DJANGO_ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://build:6379/0 \
    SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput \
    && useradd --system --create-home lov \
    && mkdir -p /app/var/media \
    && chown -R lov /app/var

USER lov
EXPOSE 8000
CMD ["gunicorn", "lov_portal.wsgi:application", "--config", "gunicorn.conf.py"]
