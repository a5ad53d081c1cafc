from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def signing_key_check(app_configs: object, **kwargs: object) -> list[Error]:
    if settings.PRODUCTION and not getattr(settings, "LOV_LOG_SIGNING_KEY", ""):
        return [
            Error(
                "LOV_LOG_SIGNING_KEY is not set: checkpoints of the register log cannot be "
                "signed. Generate a key with `manage.py tlog_keygen NAME`.",
                id="tlog.E001",
            )
        ]
    if getattr(settings, "LOV_LOG_SIGNING_KEY", ""):
        from .note import SignerKeyError, signer_from_skey

        try:
            signer_from_skey(settings.LOV_LOG_SIGNING_KEY)
        except SignerKeyError as error:
            return [Error(f"LOV_LOG_SIGNING_KEY: {error}", id="tlog.E002")]
    return []
