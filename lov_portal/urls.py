from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lov_portal.portal import views as portal_views

# Language-neutral endpoints: machines read these.
urlpatterns = [
    path("health/", portal_views.health, name="health"),
]

# Pages for people: Swedish at /..., English at /en/...
urlpatterns += i18n_patterns(
    path("", include("lov_portal.portal.urls")),
    path("konto/", include("lov_portal.reminders.urls")),
    path("rapporter/", include("lov_portal.reports.urls")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
