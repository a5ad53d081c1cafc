from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from agreements import views as agreement_views
from lov_portal.accounts import views as account_views
from lov_portal.api import api
from lov_portal.portal import views as portal_views
from meetings.views import calendar as meeting_feeds

# Language-neutral endpoints: machines read these.
urlpatterns = [
    path("health/", portal_views.health, name="health"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path("undertecknare.csv", agreement_views.register_csv, name="register_csv"),
    path("undertecknare.json", agreement_views.register_json, name="register_json"),
    path("undertecknare.atom", agreement_views.SignatoryFeed(), name="register_feed"),
    path("api/v1/", api.urls),
    path("logg/", include("agreements.urls_log")),
    path("logg/", include("lov_portal.tlog.urls")),
    path("export/", include("commitments.urls_machine")),
    path("moten/kalender.ics", meeting_feeds.public_feed, name="meetings_public_feed"),
    path("moten/<int:pk>/mote.ics", meeting_feeds.meeting_ics, name="meetings_meeting_ics"),
    path(
        "moten/kalender/<slug:token>.ics", meeting_feeds.private_feed, name="meetings_private_feed"
    ),
]

# Pages for people: Swedish at /..., English at /en/...
urlpatterns += i18n_patterns(
    path("", include("lov_portal.portal.urls")),
    path("", include("commitments.urls")),
    path("moten/", include("meetings.urls")),
    path("konto/", include("lov_portal.reminders.urls")),
    path("rapporter/", include("lov_portal.reports.urls")),
    # Before allauth's own: MFA set-up that keeps `next` (lov_portal/accounts/views.py).
    path("konto/2fa/totp/activate/", account_views.activate_totp, name="mfa_activate_totp"),
    path(
        "konto/2fa/recovery-codes/",
        account_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path("konto/bankid/", include("lov_portal.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("", include("agreements.urls")),
    path("organisationer/", include("organisations.urls")),
    path("granskning/", include("lov_portal.audit.urls")),
    path("mina-uppgifter/", include("lov_portal.privacy.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.BENCHMARK_BASELINE:
    # A bare view through the full middleware stack: the load benchmark's yardstick.
    urlpatterns += [path("__baseline__/", portal_views.baseline)]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
