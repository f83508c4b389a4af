from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class SchoolSiteConfig(AppConfig):
    name = "school_site"
    verbose_name = "Trang web trường"

    def ready(self) -> None:
        from school_site.signals import refresh_search_name

        # A lazy "app_label.Model" sender: the user model may be swapped.
        post_save.connect(
            refresh_search_name,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="school_site.refresh_search_name",
        )
