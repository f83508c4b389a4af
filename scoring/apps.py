from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = "Thi đua"

    def ready(self):
        from django.db.models.signals import post_save, pre_delete
        from wagtail.models import Page, PageLogEntry
        from wagtail.signals import page_unpublished

        from district_site.media_invalidation import person_renamed
        from school_site.review_dialog import review_approved_with
        from scoring import honour, signals

        # Publishing, unpublishing and deleting are read from Wagtail's page history, which
        # names the user who acted (see services.record_page_log_entry).
        post_save.connect(
            signals.page_log_entry_saved, sender=PageLogEntry, dispatch_uid="scoring_log"
        )
        page_unpublished.connect(signals.page_unpublished, dispatch_uid="scoring_unpublished")
        # Every page row deleted, descendants included, passes through the base Page model.
        pre_delete.connect(signals.page_pre_delete, sender=Page, dispatch_uid="scoring_delete")
        # The "bài hay" box of the board's approve dialog (school_site.review_dialog).
        review_approved_with.connect(signals.review_approved_with, dispatch_uid="scoring_approve")
        # A renamed person's name on the honour boards (district_site.media_invalidation).
        person_renamed.connect(honour.on_person_renamed, dispatch_uid="scoring_person_renamed")
