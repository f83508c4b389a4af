"""Create the ONE board-review workflow and link it to the tree root.

One workflow ("Duyệt bài của Ban quản trị") with one `SchoolBoardReviewTask`, linked to the
tree root: every school's site provisioned now or later sits under the root, so no workflow,
task or link is ever added per school (the task finds each page's board from the page).

Wagtail's own migration 0048 made a "Moderators approval" workflow on the root for the
"Moderators" group, which district_site 0002 deleted; that leftover task and workflow (group
tasks without any group) are deactivated, so the dashboard asks one task only.
"""

from django.db import migrations

WORKFLOW_NAME = "Duyệt bài của Ban quản trị"
TASK_NAME = "Ban quản trị duyệt bài"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    SchoolBoardReviewTask = apps.get_model("school_site", "SchoolBoardReviewTask")

    # Historical models do not set Task.content_type themselves.
    task_type, _ = ContentType.objects.get_or_create(
        app_label="school_site", model="schoolboardreviewtask"
    )
    task = SchoolBoardReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = SchoolBoardReviewTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    orphans = GroupApprovalTask.objects.filter(groups__isnull=True)
    Workflow.objects.filter(workflow_tasks__task__in=orphans).exclude(pk=workflow.pk).update(
        active=False
    )
    orphans.update(active=False)

    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    SchoolBoardReviewTask = apps.get_model("school_site", "SchoolBoardReviewTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    SchoolBoardReviewTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("school_site", "0002_board_review_task"),
        ("district_site", "0002_district_admins_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
