"""Put the group leader's step first in the ONE review workflow, before the board's.

Idempotent: the task is created once (found by name), the link is made once, and the board's
task is moved to the second place. No school is touched: `GroupLeaderReviewTask` skips itself
for every school that has not switched the step on (`School.leader_review`, off by default), so
existing schools keep their one-step review until their principal turns the step on.
"""

from django.db import migrations

WORKFLOW_NAME = "Duyệt bài của Ban quản trị"
BOARD_TASK_NAME = "Ban quản trị duyệt bài"
LEADER_TASK_NAME = "Trưởng nhóm duyệt bài"


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupLeaderReviewTask = apps.get_model("school_site", "GroupLeaderReviewTask")
    SchoolBoardReviewTask = apps.get_model("school_site", "SchoolBoardReviewTask")

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    board = SchoolBoardReviewTask.objects.filter(name=BOARD_TASK_NAME).first()
    if workflow is None or board is None:
        return  # school_site 0003 made both; a database without them has no review to extend
    # Historical models do not set Task.content_type themselves.
    task_type, _ = ContentType.objects.get_or_create(
        app_label="school_site", model="groupleaderreviewtask"
    )
    leader = GroupLeaderReviewTask.objects.filter(name=LEADER_TASK_NAME).first()
    if leader is None:
        leader = GroupLeaderReviewTask.objects.create(
            name=LEADER_TASK_NAME, content_type=task_type, active=True
        )
    WorkflowTask.objects.update_or_create(
        workflow=workflow, task=leader, defaults={"sort_order": 0}
    )
    WorkflowTask.objects.update_or_create(workflow=workflow, task=board, defaults={"sort_order": 1})


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupLeaderReviewTask = apps.get_model("school_site", "GroupLeaderReviewTask")
    SchoolBoardReviewTask = apps.get_model("school_site", "SchoolBoardReviewTask")
    GroupLeaderReviewTask.objects.filter(name=LEADER_TASK_NAME).delete()
    WorkflowTask.objects.filter(
        workflow__in=Workflow.objects.filter(name=WORKFLOW_NAME),
        task__in=SchoolBoardReviewTask.objects.filter(name=BOARD_TASK_NAME),
    ).update(sort_order=0)


class Migration(migrations.Migration):
    dependencies = [
        ("school_site", "0010_group_leader_review_task"),
        ("district_site", "0004_leader_review_and_reminder_days"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
