#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: shim
short_description: The host-side macvlan shim and its route, set up or taken back through macvlan-doctor's journal
description:
  - With I(state=present), runs C(macvlan-doctor setup) for the target - the shim on the container's parent in
    bridge mode, the route to the container (or the Docker network's ip-range) through it, and for IPv6 the proxy
    NDP the path needs - only what is missing. Every change is journaled and can be undone.
  - With I(state=absent), runs C(macvlan-doctor teardown) - every change macvlan-doctor journaled in the host's
    namespace is undone, newest first; links and routes it did not create are never touched.
  - Idempotent - a second run with nothing missing (or nothing journaled) reports no change. Check mode asks the
    tool (C(setup --dry-run), C(teardown --dry-run)) and changes nothing; with C(--diff) the commands and files
    that would change are shown.
version_added: "0.3.0"
author:
  - the macvlan-doctor authors
requirements:
  - macvlan-doctor on the managed host (the C(macvlandoctor.macvlan.install) role installs it)
  - root on the managed host
extends_documentation_fragment:
  - macvlandoctor.macvlan.target
options:
  state:
    description: Whether the fix is in place (present) or every journaled change is undone (absent).
    type: str
    choices: [present, absent]
    default: present
  shim_ip:
    description: An address for the shim (CIDR); by default it has none and the host's source address stays the
      parent's.
    type: str
  route:
    description: Route the container's address (container) or the Docker network's ip-range (ip-range).
    type: str
    choices: [container, ip-range]
  replace_route:
    description: Replace a route to the container that goes elsewhere (through the parent, say) instead of
      failing on it; I(state=absent) puts it back.
    type: bool
    default: false
  persist:
    description: Also write the configuration that makes the fix survive a reboot, in this format (C(auto) picks
      the host's network manager).
    type: str
  persist_root:
    description: Write the persisted configuration under this root (an image being built).
    type: path
notes:
  - I(state=absent) undoes every change macvlan-doctor journaled in the host's namespace, not only this task's.
seealso:
  - module: macvlandoctor.macvlan.verify
"""

EXAMPLES = r"""
- name: The article's fix for a container, persisted for the next boot
  macvlandoctor.macvlan.shim:
    container: web
    persist: auto

- name: Take it back
  macvlandoctor.macvlan.shim:
    state: absent
"""

RETURN = r"""
commands:
  description: The commands made (or, in check mode, that would be made), in order.
  returned: always
  type: list
  elements: str
files:
  description: The files setup writes for persistence, with their contents.
  returned: when persist is given
  type: dict
output:
  description: What the tool printed.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.macvlandoctor.macvlan.plugins.module_utils.macvlan_doctor import (
    argument_spec, failure, run, target_args)


def planned(out):
    """The commands and files of a dry run: '  cmd' lines, '  write PATH:' followed by '    | text' lines."""
    commands = []
    files = {}
    current = None
    for line in out.splitlines():
        if line.startswith("    | ") and current is not None:
            files[current] += line[6:] + "\n"
        elif line.startswith("  write ") and line.endswith(":"):
            current = line[len("  write "):-1]
            files[current] = ""
        elif line.startswith("  ") and not line.startswith("  already there"):
            current = None
            commands.append(line.strip())
    return commands, files


ARGUMENT_SPEC = argument_spec(
    state={"type": "str", "choices": ["present", "absent"], "default": "present"},
    shim_ip={"type": "str"},
    route={"type": "str", "choices": ["container", "ip-range"]},
    replace_route={"type": "bool", "default": False},
    persist={"type": "str"},
    persist_root={"type": "path"},
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    present = p["state"] == "present"
    args = (["setup"] if present else ["teardown"]) + target_args(module)
    if present:
        if p["shim_ip"]:
            args += ["--shim-ip", p["shim_ip"]]
        if p["route"]:
            args += ["--route", p["route"]]
        if p["replace_route"]:
            args.append("--replace-route")
        if p["persist"]:
            args += ["--persist=" + p["persist"]]
        if p["persist_root"]:
            args += ["--persist-root", p["persist_root"]]
    rc, out, err = run(module, args + ["--dry-run"])
    if rc != 0:
        module.fail_json(msg=failure(rc, err), rc=rc, output=out)
    if "would run (--dry-run" not in out:
        # "nothing to do: the fix is already in place" / "nothing to undo".
        module.exit_json(changed=False, commands=[], output=out)
    commands, files = planned(out[out.index("would run (--dry-run"):])
    result = {"changed": True, "commands": commands, "output": out}
    if files:
        result["files"] = files
    if module._diff:
        text = "".join(c + "\n" for c in commands)
        text += "".join("# %s\n%s" % (f, body) for f, body in files.items())
        result["diff"] = {"before": "", "after": text,
                          "after_header": "macvlan-doctor " + ("setup" if present else "teardown")}
    if module.check_mode:
        module.exit_json(**result)
    rc, out, err = run(module, args)
    result["output"] = out
    if rc != 0:
        module.fail_json(msg=failure(rc, err), rc=rc, **{k: v for k, v in result.items() if k != "changed"})
    if present:
        result["commands"] = [line[2:] for line in out.splitlines() if line.startswith("+ ")]
    module.exit_json(**result)


if __name__ == "__main__":
    main()
