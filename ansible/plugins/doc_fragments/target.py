# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The target options every module of the collection takes, and binary."""

    DOCUMENTATION = r"""
options:
  binary:
    description: Path of macvlan-doctor; default the one on PATH.
    type: path
  target:
    description:
      - The target options as one dictionary (for example a host's variable), with the same keys as the options
        below; each may be given here or on its own, not both.
    type: dict
  lab:
    description: A lab built with C(macvlan-doctor lab up).
    type: str
  host_netns:
    description: The host's network namespace (name or path); default the current one.
    type: str
  container_netns:
    description: The container's network namespace (name or path).
    type: str
  container_pid:
    description: Any process of the container.
    type: int
  container:
    description: A Docker container's name or id.
    type: str
  docker_network:
    description: Every running container of these Docker macvlan networks.
    type: list
    elements: str
  all_docker:
    description: Every running container of every Docker macvlan network.
    type: bool
  docker_host:
    description: The Docker daemon (C(unix:///run/docker.sock) by default, or C(DOCKER_HOST)).
    type: str
  parent:
    description: The macvlan parent, when it cannot be discovered.
    type: str
  shim:
    description: The host-side macvlan (shim), when it cannot be discovered.
    type: str
  container_iface:
    description: The container's macvlan interface.
    type: str
  container_ip:
    description: The container's address, when it has several.
    type: str
  family:
    description: Which address families to verify.
    type: str
    choices: ["4", "6", "all"]
"""
