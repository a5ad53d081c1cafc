"""A truly bare Django application: bench/load.py's yardstick beside the portal.

One hello-world view, no installed apps, no database, no templates, and four of the middleware
`startproject` installs: the ones that need neither a database nor an app (security, common,
CSRF, clickjacking; sessions, authentication and messages would only add lazy objects the view
never touches). Served by the same gunicorn, with the same gunicorn.conf.py and worker count
as the portal:

    DJANGO_SETTINGS_MODULE=bench.bare_settings gunicorn 'django.core.wsgi:get_wsgi_application()'
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

SECRET_KEY = "bench-bare-" + "x" * 50  # nosec B105: a throwaway app on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_I18N = False
USE_TZ = True
ROOT_URLCONF = __name__
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]
