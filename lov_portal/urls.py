from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lov_portal.portal import views as portal_views
from meetings import views as meeting_views

# Language-neutral endpoints: machines read these.
urlpatterns = [
    path("health/", portal_views.health, name="health"),
    path("moten/kalender.ics", meeting_views.public_feed, name="meetings_public_feed"),
    path("moten/<int:pk>/mote.ics", meeting_views.meeting_ics, name="meetings_meeting_ics"),
    path(
        "moten/kalender/<str:token>.ics", meeting_views.private_feed, name="meetings_private_feed"
    ),
]

# Pages for people: Swedish at /..., English at /en/...
urlpatterns += i18n_patterns(
    path("", include("lov_portal.portal.urls")),
    path("moten/", include("meetings.urls")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
