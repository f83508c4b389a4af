"""Signal receivers: two-line adapters from Wagtail's events to scoring.services."""

from scoring import services


def page_log_entry_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.record_page_log_entry(log_entry=instance)


def page_unpublished(sender, instance, **kwargs):
    # Covers unpublishing without a log entry: deleting a live page, unpublishing aliases.
    services.withdraw_page_credit(page_id=instance.pk, reason="Gỡ bài")


def page_pre_delete(sender, instance, **kwargs):
    services.withdraw_page_credit(page_id=instance.pk, reason="Xoá bài")


def review_approved_with(sender, page_id, user, extras, **kwargs):
    # The approve dialog's "Đánh dấu bài hay" box (scoring.forms.GoodPostApproveForm).
    if extras.get("good_post"):
        services.mark_good_post_at_approval(page_id=page_id, user=user)
