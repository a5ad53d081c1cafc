"""Language-neutral, beside the log's own endpoints under /logg/."""

from django.urls import path

from .views import log as log_views

app_name = "agreements_log"

urlpatterns = [
    path("register.json", log_views.register, name="register"),
    path("text/<int:number>", log_views.version_text, name="text"),
    path("<slug:name>/register.json", log_views.register, name="register_named"),
    path("<slug:name>/text/<int:number>", log_views.version_text, name="text_named"),
]
