"""Renders the kustomize overlays with `kubectl kustomize` and checks the objects an operator would apply.

kubectl (with kustomize v5 built in) is Debian's `kubectl` package, preinstalled on this kind of machine.
"""

import base64
import shutil
import subprocess

import pytest
import yaml

from .environment import DEPLOY, required_in_production

OVERLAYS = ["production", "staging"]
APP_WORKLOADS = {"web", "celery-worker", "celery-bulk-worker", "celery-beat"}


def render(overlay, tmp_path):
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl is needed to render the manifests (Debian package `kubectl`)"
    tree = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", tree)
    # Operators write secrets.env from the committed example; the test does the same with the example's values.
    shutil.copy(tree / "overlays" / overlay / "secrets.env.example", tree / "overlays" / overlay / "secrets.env")
    result = subprocess.run(  # noqa: S603 - fixed argv
        [kubectl, "kustomize", str(tree / "overlays" / overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def by_kind(objects, kind):
    return {obj["metadata"]["name"]: obj for obj in objects if obj["kind"] == kind}


def pod_specs(objects):
    for obj in objects:
        if obj["kind"] in ("Deployment", "Job"):
            yield obj["kind"], obj["metadata"]["name"], obj["spec"]["template"]["spec"]


def named(objects, kind, prefix):
    """The generated object whose name is `prefix` plus kustomize's content hash."""
    matches = [obj for name, obj in by_kind(objects, kind).items() if name.rsplit("-", 1)[0] == prefix]
    assert len(matches) == 1, f"expected one {kind} {prefix}"
    return matches[0]


def config_values(objects):
    config = named(objects, "ConfigMap", "ocop-config")["data"]
    secret = {k: base64.b64decode(v).decode() for k, v in named(objects, "Secret", "ocop-secrets")["data"].items()}
    return config, secret


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_deployment_has_probes_resources_and_runs_as_non_root(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    deployments = by_kind(objects, "Deployment")

    assert set(deployments) >= APP_WORKLOADS
    for name, deployment in deployments.items():
        spec = deployment["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        for container in spec.get("initContainers", []) + spec["containers"]:
            where = f"{name}/{container['name']}"
            security = container.get("securityContext", {})
            assert security.get("runAsUser", spec["securityContext"].get("runAsUser")) not in (0, None), where
            assert security.get("allowPrivilegeEscalation") is False, where
            assert security.get("capabilities", {}).get("drop") == ["ALL"], where
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), where
        for container in spec["containers"]:
            assert "livenessProbe" in container, f"{name}/{container['name']}"
            assert "readinessProbe" in container, f"{name}/{container['name']}"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_referenced_secret_and_config_key_exists(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    config_maps = {name: obj.get("data", {}) for name, obj in by_kind(objects, "ConfigMap").items()}
    secrets = {name: obj.get("data", {}) for name, obj in by_kind(objects, "Secret").items()}
    claims = set(by_kind(objects, "PersistentVolumeClaim"))
    references = 0

    for kind, name, spec in pod_specs(objects):
        for container in spec.get("initContainers", []) + spec["containers"]:
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in config_maps, f"{kind} {name}"
                if "secretRef" in source:
                    assert source["secretRef"]["name"] in secrets, f"{kind} {name}"
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {})
                for key, store in (("secretKeyRef", secrets), ("configMapKeyRef", config_maps)):
                    if key in ref:
                        references += 1
                        assert ref[key]["key"] in store.get(ref[key]["name"], {}), f"{kind} {name}: {variable}"
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                data = config_maps.get(volume["configMap"]["name"])
                assert data is not None, f"{kind} {name}: {volume}"
                assert all(item["key"] in data for item in volume["configMap"].get("items", []))
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims
    assert references > 0


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_app_gets_every_setting_production_needs_and_its_probes_pass_the_host_check(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    config, secret = config_values(objects)
    allowed_hosts = config["DJANGO_ALLOWED_HOSTS"].split(",")

    for name in APP_WORKLOADS:
        container = by_kind(objects, "Deployment")[name]["spec"]["template"]["spec"]["containers"][0]
        provided = {variable["name"] for variable in container.get("env", [])}
        if any(
            source.get("configMapRef", {}).get("name", "").startswith("ocop-config")
            for source in container.get("envFrom", [])
        ):
            provided |= set(config)
        assert required_in_production() <= provided, f"{name} lacks {required_in_production() - provided}"
        for probe in ("livenessProbe", "readinessProbe"):
            for header in container[probe].get("httpGet", {}).get("httpHeaders", []):
                if header["name"] == "Host":
                    assert header["value"] in allowed_hosts
    assert config["DJANGO_DEBUG"] == "false"
    assert "DJANGO_SECRET_KEY" in secret and "DJANGO_SECRET_KEY" not in config


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_beat_is_a_single_replica_migrations_and_app_registration_are_jobs_and_web_and_workers_autoscale(
    overlay, tmp_path
):
    objects = render(overlay, tmp_path)
    deployments = by_kind(objects, "Deployment")
    jobs = by_kind(objects, "Job")
    autoscalers = by_kind(objects, "HorizontalPodAutoscaler")

    beat = deployments["celery-beat"]["spec"]
    assert beat["replicas"] == 1 and beat["strategy"]["type"] == "Recreate"
    assert "celery-beat" not in {hpa["spec"]["scaleTargetRef"]["name"] for hpa in autoscalers.values()}
    migrate = jobs["migrate"]["spec"]["template"]["spec"]
    # migrations, then the files stored before the private store move into it (both volumes mounted)
    assert migrate["containers"][0]["command"][-1] == (
        "python manage.py migrate --noinput && python manage.py move_private_files"
    )
    assert {
        volume["persistentVolumeClaim"]["claimName"]
        for volume in migrate["volumes"]
        if "persistentVolumeClaim" in volume
    } == {"ocop-media", "ocop-private"}
    assert jobs["saleor-app-register"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "python",
        "manage.py",
        "saleor_app_register",
    ]
    targets = {hpa["spec"]["scaleTargetRef"]["name"]: hpa["spec"] for hpa in autoscalers.values()}
    assert set(targets) == {"web", "celery-worker"}
    assert all(spec["minReplicas"] <= spec["maxReplicas"] for spec in targets.values())
    assert all(target in deployments for target in targets)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_terminates_tls_for_its_host_and_reaches_the_web_service(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    ingress = by_kind(objects, "Ingress")["web"]["spec"]
    service = by_kind(objects, "Service")["web"]["spec"]
    config, _ = config_values(objects)

    host = ingress["rules"][0]["host"]
    assert ingress["tls"][0]["hosts"] == [host]
    assert config["PUBLIC_BASE_URL"] == f"https://{host}"
    assert host in config["DJANGO_ALLOWED_HOSTS"].split(",")
    backend = ingress["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["port"]["name"] in {port["name"] for port in service["ports"]}
    web_ports = {
        port["name"]
        for c in by_kind(objects, "Deployment")["web"]["spec"]["template"]["spec"]["containers"]
        for port in c.get("ports", [])
    }
    assert service["ports"][0]["targetPort"] in web_ports


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_private_files_have_their_own_volume_that_nginx_serves_only_through_x_accel_redirect(overlay, tmp_path):
    objects = render(overlay, tmp_path)
    config, _secret = config_values(objects)
    deployments = by_kind(objects, "Deployment")
    nginx_conf = named(objects, "ConfigMap", "ocop-nginx")["data"]["nginx.conf"]

    def mounts(workload, container_name):
        spec = deployments[workload]["spec"]["template"]["spec"]
        claims = {
            v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"] if "persistentVolumeClaim" in v
        }
        container = next(c for c in spec["containers"] if c["name"] == container_name)
        return {m["mountPath"]: (claims.get(m["name"]), m.get("readOnly", False)) for m in container["volumeMounts"]}

    assert "ocop-private" in by_kind(objects, "PersistentVolumeClaim")
    for workload, container in (("web", "web"), ("celery-worker", "worker")):
        assert mounts(workload, container)[config["PRIVATE_FILES_ROOT"]] == ("ocop-private", False)
    assert mounts("web", "nginx")["/srv/private"] == ("ocop-private", True)
    location = config["PRIVATE_FILES_ACCEL_REDIRECT"]
    block = nginx_conf.split(f"location {location} {{", 1)[1].split("}", 1)[0]
    assert "internal;" in block and "alias /srv/private/;" in block
    # the public location is another volume: nothing private can be reached under /media/
    assert mounts("web", "nginx")["/srv/media"][0] == "ocop-media" != "ocop-private"
