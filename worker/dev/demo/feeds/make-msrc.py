#!/usr/bin/env python3
"""
Writes msrc-2024-Nov.json and msrc-2024-Dec.json, the offline demo's Microsoft updates for Windows
Server 2022, in the MSRC CVRF v3 JSON shape, with the builders of the MSRC adapter's own test
fixtures (worker/src/feeds/msrc/testdata/make-fixtures.py). Microsoft's documents carry no
license, so these are written by hand: the CVEs, KBs, builds, supersedence and exploitation flags
are Microsoft's public data for November and December 2024 as we know it; texts and product ids
are ours. Run: python3 worker/dev/demo/feeds/make-msrc.py
"""
import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("fixtures", HERE.parents[2] / "src/feeds/msrc/testdata/make-fixtures.py")
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)
S2022 = fixtures.S2022
fix, vuln, document = fixtures.fix, fixtures.vuln, fixtures.document

def month(month_id, title, date, kb, build, supersedes, cves):
    revisions = [("1.0", date, fixtures.PUBLISHED)]
    return document(
        month_id, title, date, date, [("1.0", date, title)], S2022,
        [vuln(n + 1, cve, name, tag, S2022, impact, severity, exploit, vector, base, temporal,
              [fix(kb, S2022, build, supersedes)], revisions, "<p>See the Security Update Guide.</p>")
         for n, (cve, name, tag, impact, severity, exploit, vector, base, temporal) in enumerate(cves)],
    )

EXPLOITED = "Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected"
DISCLOSED = "Publicly Disclosed:Yes;Exploited:Yes;Latest Software Release:Exploitation Detected"
NOT_EXPLOITED = "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely"

nov = month("2024-Nov", "November 2024 Security Updates", "2024-11-12T08:00:00", "5046616", "10.0.20348.2849", "5044281", [
    ("CVE-2024-43451", "NTLM Hash Disclosure Spoofing Vulnerability", "Windows NTLM", "Spoofing", "Important", DISCLOSED,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N/E:F/RL:O/RC:C", 6.5, 6.0),
    ("CVE-2024-49039", "Windows Task Scheduler Elevation of Privilege Vulnerability", "Windows Task Scheduler",
     "Elevation of Privilege", "Important", EXPLOITED, "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H/E:F/RL:O/RC:C", 8.8, 8.2),
    ("CVE-2024-43639", "Windows KDC Proxy Remote Code Execution Vulnerability", "Windows Kerberos", "Remote Code Execution",
     "Critical", NOT_EXPLOITED, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.8, 8.5),
])
dec = month("2024-Dec", "December 2024 Security Updates", "2024-12-10T08:00:00", "5048654", "10.0.20348.2966", "5046616", [
    ("CVE-2024-49138", "Windows Common Log File System Driver Elevation of Privilege Vulnerability",
     "Windows Common Log File System Driver", "Elevation of Privilege", "Important", DISCLOSED,
     "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C", 7.8, 7.2),
    ("CVE-2024-49112", "Windows Lightweight Directory Access Protocol (LDAP) Remote Code Execution Vulnerability",
     "Windows LDAP - Lightweight Directory Access Protocol", "Remote Code Execution", "Critical", NOT_EXPLOITED,
     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.8, 8.5),
])

for name, doc in (("msrc-2024-Nov.json", nov), ("msrc-2024-Dec.json", dec)):
    (HERE / name).write_text(json.dumps(doc, indent=1) + "\n")
    print(name)
