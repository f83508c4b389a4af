from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Dùng chung"

    def ready(self):
        from home.exports import neutralise_wagtail_csv_exports

        neutralise_wagtail_csv_exports()

        from home.admin_i18n import label_unlabelled_wagtail_fields

        label_unlabelled_wagtail_fields()

        from home import signals

        signals.connect()

        from home.renditions import install_rendition_cache_fix

        install_rendition_cache_fix()

        from django.conf import settings

        from home.avif import install_avif_speed

        install_avif_speed(getattr(settings, "IMAGE_AVIF_SPEED", None))

        from django.contrib.auth import get_user_model

        from home.text import use_vietnamese_full_name

        use_vietnamese_full_name(get_user_model())
