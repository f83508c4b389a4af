from importlib import import_module

from django.apps import AppConfig


class DistrictSiteConfig(AppConfig):
    name = "district_site"
    verbose_name = "Phòng GD&ĐT"

    def import_models(self):
        # The app's models live in two layers: the tenancy's `district_site.models` (School) and
        # the portal's `district_site.portal.models` (DistrictHomePage, which uses school page
        # types). The tenancy module must not import the portal, so the app loads the portal's
        # models here. Django calls import_models for every app in the registry's models phase,
        # so DistrictHomePage is registered (app label `district_site`: same table, content type
        # and migrations) just as if it stood in models.py. ready() would register it only after
        # the registry has declared every model loaded (models_ready), which Django never expects.
        super().import_models()
        import_module(f"{self.name}.portal.models")

    def ready(self):
        # Cached public pages go stale on publish, move, branding or school changes, and when
        # an image or a name they show is edited.
        from district_site import cache_invalidation, media_invalidation

        cache_invalidation.connect()
        media_invalidation.connect()
