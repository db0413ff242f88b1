"""deploy/kubernetes/ against the Kubernetes schemas (kubernetes-validate ships them: no network), and
against what Townhall needs: probes on the real health endpoints, a worker per queue, one beat."""

from __future__ import annotations

import copy
import re
from typing import Any

import kubernetes_validate
import pytest
from django.urls import resolve

from health import views
from tests.deploy.artifacts import (
    QUEUES,
    containers,
    documented_settings,
    final_stage,
    manifest,
    manifests,
    pod_templates,
)

KUBERNETES_VERSION = "1.31"
SECRET_MOUNT = "/run/secrets/townhall"


@pytest.mark.parametrize(
    ("path", "document"), manifests(), ids=[f"{p.name}:{d['kind']}:{d['metadata']['name']}" for p, d in manifests()]
)
def test_each_manifest_is_valid_strictly(path: Any, document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_strict_validation_would_catch_a_typo() -> None:
    web = copy.deepcopy(manifest("Deployment", "townhall-web"))
    containers(web)[0]["livenessprobe"] = containers(web)[0].pop("livenessProbe")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, KUBERNETES_VERSION, strict=True)


def test_web_probes_use_the_health_endpoints() -> None:
    [web] = containers(manifest("Deployment", "townhall-web"))
    assert resolve(web["livenessProbe"]["httpGet"]["path"]).func == views.healthz
    assert resolve(web["readinessProbe"]["httpGet"]["path"]).func == views.readyz
    assert resolve(web["startupProbe"]["httpGet"]["path"]).func == views.healthz
    # /readyz answers within 2 s even when a dependency hangs: the probe waits a little longer.
    assert web["readinessProbe"]["timeoutSeconds"] >= 3
    assert web["command"] == ["gunicorn", "--config", "deploy/gunicorn.conf.py", "backend.wsgi"]
    annotations = manifest("Deployment", "townhall-web")["spec"]["template"]["metadata"]["annotations"]
    assert resolve(annotations["prometheus.io/path"]).func == views.metrics


def test_the_autoscaler_scales_web_and_nothing_scales_beat() -> None:
    autoscalers = [document for _path, document in manifests() if document["kind"] == "HorizontalPodAutoscaler"]
    assert [hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers] == ["townhall-web"]
    [hpa] = autoscalers
    assert hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment"
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    service = manifest("Service", "townhall-web")
    assert service["spec"]["selector"] == manifest("Deployment", "townhall-web")["spec"]["selector"]["matchLabels"]


def test_one_worker_deployment_per_queue() -> None:
    consumed: dict[str, str] = {}
    for name, template in pod_templates():
        for container in template["spec"]["containers"]:
            words = [str(word) for word in container["command"]]
            if words[:4] == ["celery", "-A", "backend", "worker"]:
                queue = words[words.index("-Q") + 1]
                assert queue not in consumed, f"{queue} is consumed by {consumed.get(queue)} and {name}"
                consumed[queue] = name
    assert consumed == {queue: f"townhall-worker-{queue}" for queue in QUEUES}
    for queue in QUEUES:
        worker = manifest("Deployment", f"townhall-worker-{queue}")
        # A warm shutdown lets a running task finish within CELERY_TASK_TIME_LIMIT (90 s).
        assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > 90


def test_exactly_one_beat_never_two_during_a_rollout() -> None:
    beats = [
        name
        for name, template in pod_templates()
        for container in template["spec"]["containers"]
        if [str(word) for word in container["command"]][:4] == ["celery", "-A", "backend", "beat"]
    ]
    assert beats == ["townhall-beat"]
    beat = manifest("Deployment", "townhall-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}


def test_a_migration_job_runs_migrate_once() -> None:
    job = manifest("Job", "townhall-migrate")
    [container] = containers(job)
    assert container["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_secrets_are_referenced_never_defined() -> None:
    assert not [document for _path, document in manifests() if document["kind"] == "Secret"]
    config = manifest("ConfigMap", "townhall-config")["data"]
    for name, template in pod_templates():
        spec = template["spec"]
        secret_volumes = [volume for volume in spec["volumes"] if "secret" in volume]
        assert [volume["secret"]["secretName"] for volume in secret_volumes] == ["townhall"], name
        for container in spec["containers"]:
            assert {"configMapRef": {"name": "townhall-config"}} in container["envFrom"], name
            mounts = {mount["mountPath"]: mount for mount in container["volumeMounts"]}
            assert mounts[SECRET_MOUNT]["readOnly"] is True
            for variable in container.get("env", []):
                assert "value" not in variable or not re.search(r"KEY|SECRET|PASSWORD|TOKEN", variable["name"])
    file_variables = {name: value for name, value in config.items() if name.endswith("_FILE")}
    assert {"DATABASE_URL_FILE", "SECRET_KEY_FILE", "FIELD_ENCRYPTION_KEYS_FILE", "KEYED_HASH_KEYS_FILE"} <= set(
        file_variables
    )
    for value in file_variables.values():
        assert value.startswith(SECRET_MOUNT + "/")
    assert set(config) - documented_settings() <= {"XDG_CACHE_HOME"}


def test_every_pod_runs_as_the_image_user_without_privileges() -> None:
    [user] = [instruction.arguments for instruction in final_stage() if instruction.keyword == "USER"]
    uid, _, gid = user.partition(":")
    images = set()
    for name, template in pod_templates():
        security = template["spec"]["securityContext"]
        assert security["runAsNonRoot"] is True, name
        assert (str(security["runAsUser"]), str(security["runAsGroup"])) == (uid, gid), name
        for container in template["spec"]["containers"]:
            images.add(container["image"])
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["resources"]["limits"]["memory"]
    assert len(images) == 1, f"one image, one tag for a release: {images}"
