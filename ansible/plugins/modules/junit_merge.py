#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the macvlan-doctor authors
# Apache License 2.0 (see LICENSE in the project)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: junit_merge
short_description: Merge the JUnit reports of many hosts into one
description:
  - Reads JUnit XML files written by C(macvlan-doctor verify --junit) (fetched from the hosts) and writes one file
    with every test suite, each named after the file it came from (the host), numbered anew - valid against the
    same schemas as each file (Jenkins xUnit's junit-10.xsd, the strict Ant JUnit.xsd).
  - Meant to run on the controller (C(delegate_to - localhost), C(run_once)).
version_added: "0.3.0"
author:
  - the macvlan-doctor authors
options:
  src:
    description: The JUnit files; each suite's name is prefixed with its file's name without the extension.
    type: list
    elements: path
    required: true
  dest:
    description: The merged file.
    type: path
    required: true
"""

EXAMPLES = r"""
- name: One JUnit file for the fleet
  macvlandoctor.macvlan.junit_merge:
    src: "{{ query('fileglob', 'reports/*.xml') }}"
    dest: reports/fleet.xml
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
suites:
  description: How many test suites the merged file holds.
  returned: always
  type: int
failures:
  description: How many testcases failed, over all suites.
  returned: always
  type: int
"""

import os
import xml.etree.ElementTree as ET

from ansible.module_utils.basic import AnsibleModule


ARGUMENT_SPEC = {"src": {"type": "list", "elements": "path", "required": True},
                 "dest": {"type": "path", "required": True}}


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    merged = ET.Element("testsuites")
    failures = 0
    for path in sorted(module.params["src"]):
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as e:
            module.fail_json(msg="cannot read %s as JUnit XML: %s" % (path, e))
        host = os.path.splitext(os.path.basename(path))[0]
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for suite in suites:
            suite.set("name", "%s: %s" % (host, suite.get("name", "")))
            suite.set("id", str(len(merged)))
            failures += int(suite.get("failures", "0"))
            merged.append(suite)
    text = ET.tostring(merged, encoding="unicode")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
    dest = module.params["dest"]
    before = None
    if os.path.exists(dest):
        with open(dest, encoding="utf-8") as f:
            before = f.read()
    changed = before != text
    if changed and not module.check_mode:
        with open(dest, "w", encoding="utf-8") as f:
            f.write(text)
    module.exit_json(changed=changed, suites=len(merged), failures=failures, dest=dest)


if __name__ == "__main__":
    main()
