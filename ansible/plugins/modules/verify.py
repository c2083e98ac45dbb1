#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: verify
short_description: Verify the host-to-container path of macvlan containers with frame-level proof
description:
  - Runs C(macvlan-doctor verify) on the host with the target options given, and returns its report parsed from
    C(--report-json -) - the verdict, every check with its evidence, the diagnosis with its fix commands.
  - Captures on the parent, the shim and the container's interface at once and sends its own ARP, NDP and ICMP
    probes both ways; a check passes only on frames that prove it.
  - Never reports C(changed). The probes flush the neighbour entries of the two addresses before they start and
    leave nothing else behind; check mode runs them too.
  - Fails the host on a C(fail) or C(inconclusive) verdict unless I(fail_on) says otherwise; a failure on one host
    does not stop the others.
version_added: "0.3.0"
author:
  - the macvlan-doctor authors
requirements:
  - macvlan-doctor on the managed host (the C(macvlandoctor.macvlan.install) role installs it)
  - root on the managed host
extends_documentation_fragment:
  - macvlandoctor.macvlan.target
options:
  probe_timeout:
    description: How long each probe waits for its answer, as C(300ms) or C(2s).
    type: str
  junit:
    description: Write the JUnit XML report to this path on the managed host.
    type: path
  pcapng:
    description: Write every captured frame to this path on the managed host (opens in Wireshark).
    type: path
  report_html:
    description: Write the HTML report (a ladder of every probe) to this path on the managed host.
    type: path
  fail_on:
    description: The verdicts that fail the host.
    type: list
    elements: str
    choices: [fail, inconclusive]
    default: [fail, inconclusive]
notes:
  - Output files are overwritten.
seealso:
  - module: macvlandoctor.macvlan.shim
  - module: macvlandoctor.macvlan.facts
"""

EXAMPLES = r"""
- name: Verify every container of the Docker macvlan networks
  macvlandoctor.macvlan.verify:
    all_docker: true
    junit: /var/tmp/macvlan-doctor.xml
  register: macvlan

- name: One container, reporting an inconclusive run without failing
  macvlandoctor.macvlan.verify:
    container: web
    fail_on: [fail]
"""

RETURN = r"""
verdict:
  description: pass, fail or inconclusive (for several containers, the worst).
  returned: when the tool ran
  type: str
  sample: pass
checks:
  description: The checks of a single container, each with id, status, summary and evidence.
  returned: when one container was verified
  type: list
  elements: dict
diagnosis:
  description: The causes found, each with its evidence and fix commands.
  returned: when one container was verified
  type: list
  elements: dict
containers:
  description: One report per container (verdict, checks, diagnosis, topology, container label).
  returned: when several containers were verified
  type: list
  elements: dict
summary:
  description: The counts of a run over several containers.
  returned: when several containers were verified
  type: dict
report:
  description: The whole JSON report.
  returned: when the tool ran
  type: dict
junit:
  description: The path of the JUnit file written.
  returned: when junit was given
  type: str
pcapng:
  description: The path of the pcapng file written.
  returned: when pcapng was given
  type: str
report_html:
  description: The path of the HTML report written.
  returned: when report_html was given
  type: str
exit_code:
  description: The tool's exit code (0 pass, 1 fail or inconclusive); not C(rc), which Ansible takes for a failure
    whenever it is not 0.
  returned: always
  type: int
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.macvlandoctor.macvlan.plugins.module_utils.macvlan_doctor import (
    argument_spec, failure, parse_json, run, target_args)


ARGUMENT_SPEC = argument_spec(
    probe_timeout={"type": "str"},
    junit={"type": "path"},
    pcapng={"type": "path"},
    report_html={"type": "path"},
    fail_on={"type": "list", "elements": "str", "choices": ["fail", "inconclusive"],
             "default": ["fail", "inconclusive"]},
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    args = ["verify"] + target_args(module) + ["--report-json", "-", "--color", "never"]
    if p["probe_timeout"]:
        args += ["--probe-timeout", p["probe_timeout"]]
    outputs = {"junit": "--junit", "pcapng": "--pcapng", "report_html": "--report-html"}
    for key, option in outputs.items():
        if p[key]:
            args += [option, p[key]]
    if any(p[k] for k in outputs):
        args.append("--force")
    rc, out, err = run(module, args)
    result = {"changed": False, "exit_code": rc}
    if rc not in (0, 1):
        module.fail_json(msg=failure(rc, err), **result)
    report = parse_json(module, out, "verify")
    result["report"] = report
    result["verdict"] = report.get("verdict")
    for key in ("checks", "diagnosis", "containers", "summary"):
        if key in report:
            result[key] = report[key]
    for key in outputs:
        if p[key]:
            result[key] = p[key]
    if result["verdict"] in p["fail_on"]:
        reasons = report.get("reasons") or [
            "%s: %s" % (c.get("container"), c.get("verdict")) for c in report.get("containers", [])
            if c.get("verdict") != "pass"]
        module.fail_json(msg="verdict %s: %s" % (result["verdict"], "; ".join(reasons)), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
