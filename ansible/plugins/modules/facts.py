#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: facts
short_description: The kernel facts of a macvlan container's path, as Ansible facts
description:
  - Runs C(macvlan-doctor facts) for the target and sets C(ansible_facts.macvlan_doctor) to what it read - links,
    macvlan modes, MACs, addresses, routes and the kernel's route choices both ways, effective sysctls,
    neighbour and proxy entries, policy rules, firewall rules.
  - Reads only; check mode reads too.
version_added: "0.3.0"
author:
  - the macvlan-doctor authors
requirements:
  - macvlan-doctor on the managed host
  - root on the managed host
extends_documentation_fragment:
  - macvlandoctor.macvlan.target
seealso:
  - module: macvlandoctor.macvlan.verify
"""

EXAMPLES = r"""
- name: Read the path's facts
  macvlandoctor.macvlan.facts:
    container: web

- name: Use them
  ansible.builtin.debug:
    msg: "the parent is {{ ansible_facts.macvlan_doctor.kernel.parent }}"
"""

RETURN = r"""
ansible_facts:
  description: The facts, under macvlan_doctor.
  returned: always
  type: dict
  contains:
    macvlan_doctor:
      description: What C(macvlan-doctor facts) writes (its JSON, parsed).
      type: dict
      returned: always
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.macvlandoctor.macvlan.plugins.module_utils.macvlan_doctor import (
    argument_spec, failure, parse_json, run, target_args)


ARGUMENT_SPEC = argument_spec()


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    rc, out, err = run(module, ["facts"] + target_args(module))
    if rc != 0:
        module.fail_json(msg=failure(rc, err), rc=rc)
    module.exit_json(changed=False, ansible_facts={"macvlan_doctor": parse_json(module, out, "facts")})


if __name__ == "__main__":
    main()
