# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)
"""What the modules share: the target options, the binary, running it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

# Every target option of macvlan-doctor, as module options: name -> (CLI option, Ansible type).
TARGET_OPTIONS = {
    "lab": ("--lab", "str"),
    "host_netns": ("--host-netns", "str"),
    "container_netns": ("--container-netns", "str"),
    "container_pid": ("--container-pid", "int"),
    "container": ("--container", "str"),
    "docker_network": ("--docker-network", "list"),
    "all_docker": ("--all-docker", "bool"),
    "docker_host": ("--docker-host", "str"),
    "parent": ("--parent", "str"),
    "shim": ("--shim", "str"),
    "container_iface": ("--container-iface", "str"),
    "container_ip": ("--container-ip", "str"),
    "family": ("--family", "str"),
}


def argument_spec(**more):
    """The target options (one by one, or as one target dict) and binary, with the module's own."""
    spec = {"binary": {"type": "path"}, "target": {"type": "dict"}}
    for name, (dummy, kind) in TARGET_OPTIONS.items():
        spec[name] = {"type": kind}
        if kind == "list":
            spec[name]["elements"] = "str"
        if name == "family":
            spec[name]["choices"] = ["4", "6", "all"]
    spec.update(more)
    return spec


def target_args(module):
    """
    The command line of the target options that were given: one by one, or in target (a host's variable, say);
    one given both ways is an error.
    """
    params = module.params
    given = dict(params.get("target") or {})
    unknown = sorted(set(given) - set(TARGET_OPTIONS))
    if unknown:
        module.fail_json(msg="target: unknown option(s) %s; the target options are %s"
                             % (", ".join(unknown), ", ".join(sorted(TARGET_OPTIONS))))
    both = sorted(k for k in given if params.get(k) not in (None, False))
    if both:
        module.fail_json(msg="given both in target and on their own: %s" % ", ".join(both))
    args = []
    for name, (option, kind) in TARGET_OPTIONS.items():
        value = params.get(name)
        if value is None or value is False:
            value = given.get(name)
        if value is None or value is False:
            continue
        if kind == "bool":
            if value in (True, "true", "yes", "True"):
                args.append(option)
        elif kind == "list":
            for v in ([value] if isinstance(value, str) else value):
                args.extend([option, str(v)])
        else:
            args.extend([option, str(value)])
    return args


def binary(module):
    """macvlan-doctor on this host: the one given, or the one on PATH; one clear message when there is none."""
    path = module.params.get("binary")
    if path:
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            module.fail_json(msg="macvlan-doctor is not installed on this host: %s is not an executable file "
                                 "(install it with the macvlandoctor.macvlan.install role)" % path)
        return path
    found = module.get_bin_path("macvlan-doctor")
    if not found:
        module.fail_json(msg="macvlan-doctor is not installed on this host (not found on PATH): install it with "
                             "the macvlandoctor.macvlan.install role, or give binary")
    return found


def run(module, args):
    """Runs macvlan-doctor with args; returns (rc, stdout, stderr)."""
    return module.run_command([binary(module)] + args, environ_update={"LC_ALL": "C.UTF-8", "NO_COLOR": "1"})


def failure(rc, err):
    """The tool's one-line error for an exit code that is not a verdict (2 usage, 3 environment, 4 internal)."""
    lines = [line for line in (err or "").splitlines() if line.strip() and not line.startswith("[trace]")]
    return lines[-1] if lines else "macvlan-doctor exited with %d" % rc


def parse_json(module, text, what):
    try:
        return json.loads(text)
    except ValueError as e:
        module.fail_json(msg="macvlan-doctor %s printed no JSON report: %s" % (what, e))
