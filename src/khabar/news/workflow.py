"""The newsroom's groups and its approval workflow, ready on a new site and added to an existing one.

Three groups, by what each may do:

* المحررون (reporters) write articles, upload images and documents, and submit for approval;
  they cannot publish.
* رؤساء الأقسام (desk editors) write, approve, publish and lock, keep authors and agencies, and
  moderate comments.
* المشرفون (moderators) only moderate comments: no page at all.

The workflow «من المحرر إلى رئيس القسم» has one step, the desk editors' approval. It is assigned to
the home page, so every section, present or future, inherits it; a section may still be given
another workflow in Settings → Workflows. Whoever may publish (desk editors, superusers) still
publishes directly.

Every function takes an app registry, so the same code serves data migration news 0005 (with its
historical models) and ``site_tree.ensure_home_page`` (with the live ones). Each step only adds what
is missing: running it again, or on a site whose groups were edited, removes nothing.
"""

REPORTERS = "المحررون"
DESK_EDITORS = "رؤساء الأقسام"
MODERATORS = "المشرفون"
WORKFLOW_NAME = "من المحرر إلى رئيس القسم"
APPROVAL_TASK_NAME = "موافقة رئيس القسم"

ADMIN_ACCESS = [("wagtailadmin", "access_admin")]
COMMENT_MODERATION = [
    ("comments", "view_comment"), ("comments", "change_comment"), ("comments", "delete_comment"),
    ("comments", "view_blockedterm"), ("comments", "add_blockedterm"), ("comments", "change_blockedterm"),
    ("comments", "delete_blockedterm"),
]
CREDITS = [
    ("news", "add_author"), ("news", "change_author"), ("news", "view_author"),
    ("news", "add_agency"), ("news", "change_agency"), ("news", "view_agency"),
]

# Model permissions (app label, codename) of each group. Comment permissions count only where
# khabar.comments is installed.
MODEL_PERMISSIONS = {
    REPORTERS: ADMIN_ACCESS,
    DESK_EDITORS: ADMIN_ACCESS + CREDITS + COMMENT_MODERATION,
    MODERATORS: ADMIN_ACCESS + COMMENT_MODERATION,
}
# Image and document permissions, held on the root collection (so on every collection).
COLLECTION_PERMISSIONS = {
    REPORTERS: [
        ("wagtailimages", "add_image"), ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"), ("wagtaildocs", "choose_document"),
    ],
    DESK_EDITORS: [
        ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
    ],
}
# Page permissions, held on the home page (so on every section and article under it).
# Adding and editing is enough to submit for approval; unlock lets the desk free a page a reporter left locked.
PAGE_PERMISSIONS = {
    REPORTERS: ["add_page", "change_page"],
    DESK_EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _permissions(apps, pairs):
    """The Permission rows for ``pairs``; those of an app not installed (or not yet migrated) are skipped."""
    found = (_permission(apps, label, codename) for label, codename in pairs)
    return [permission for permission in found if permission is not None]


def ensure_groups(apps):
    """Create the three groups with their model and collection permissions; returns {name: group}."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    groups = {}
    for name, pairs in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, pairs))
        if root_collection is not None:
            for permission in _permissions(apps, COLLECTION_PERMISSIONS.get(name, [])):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        groups[name] = group
    return groups


def ensure_workflow(apps):
    """The workflow «من المحرر إلى رئيس القسم» with its one approval step by the desk editors."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK_NAME).first()
    if task is None:
        # Wagtail reads a task's kind from its content type (Task.specific).
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=APPROVAL_TASK_NAME, content_type=content_type, active=True)
        task.groups.add(*Group.objects.filter(name=DESK_EDITORS))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def grant_home_page(apps, home_page_id):
    """Give the groups their page permissions under the home page, and assign it the workflow.

    A home page that already has a workflow of its own keeps it.
    """
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for name, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:  # removed by the site's administrators: not brought back
            continue
        for permission in _permissions(apps, [("wagtailcore", codename) for codename in codenames]):
            GroupPagePermission.objects.get_or_create(group=group, page_id=home_page_id, permission=permission)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is not None and not WorkflowPage.objects.filter(page_id=home_page_id).exists():
        WorkflowPage.objects.create(page_id=home_page_id, workflow=workflow)


def set_up_newsroom(apps):
    """Groups, workflow and, when the home page exists already, its permissions and workflow."""
    ensure_groups(apps)
    ensure_workflow(apps)
    HomePage = apps.get_model("news", "HomePage")
    home = HomePage.objects.order_by("pk").first()
    if home is not None:
        grant_home_page(apps, home.pk)
