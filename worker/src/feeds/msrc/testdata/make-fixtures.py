# Run in this folder: python3 make-fixtures.py. Writes the hand-made MSRC CVRF v3 JSON fixtures (shape after the real API; contents hand-picked).
import json

CATALOG = "https://catalog.update.microsoft.com/v7/site/Search.aspx?q=KB{}"
PRODUCTS = {
    "9312": ("Windows Server 2008 for x64-based Systems Service Pack 2", "ESU"),
    "10483": ("Windows Server 2012 R2", "ESU"),
    "11569": ("Windows 10 Version 1809 for x64-based Systems", "Windows"),
    "11571": ("Windows Server 2019", "Windows"),
    "11572": ("Windows Server 2019 (Server Core installation)", "Windows"),
    "11762": ("Microsoft 365 Apps for Enterprise for 64-bit Systems", "Microsoft Office"),
    "11923": ("Windows Server 2022", "Windows"),
    "11924": ("Windows Server 2022 (Server Core installation)", "Windows"),
    "11952": ("Microsoft Office LTSC 2021 for 64-bit editions", "Microsoft Office"),
    "12169": ("Remote Desktop client for Windows Desktop", "Apps"),
    "12242": ("Windows 11 Version 23H2 for x64-based Systems", "Windows"),
    "12243": ("Windows 11 Version 23H2 for ARM64-based Systems", "Windows"),
    "12244": ("Windows Server 2022, 23H2 Edition (Server Core installation)", "Windows"),
}

def product_tree(ids):
    families = {}
    for pid in ids:
        name, family = PRODUCTS[pid]
        families.setdefault(family, []).append({"ProductID": pid, "Value": name})
    return {
        "Branch": [{"Items": [{"Items": items, "Type": 3, "Name": fam} for fam, items in families.items()], "Type": 0, "Name": "Microsoft"}],
        "FullProductName": [{"ProductID": pid, "Value": PRODUCTS[pid][0]} for pid in ids],
    }

def fix(kb, pids, build, supersedes, subtype="Security Update", restart="Yes", url=None):
    return {
        "Description": {"Value": kb},
        "URL": url if url is not None else CATALOG.format(kb),
        "Supercedence": supersedes,
        "ProductID": pids,
        "Type": 2,
        "DateSpecified": False,
        "AffectedFiles": [],
        "RestartRequired": {"Value": restart},
        "SubType": subtype,
        "FixedBuild": build,
    }

def threats(pids, impact, severity, exploit):
    out = []
    for pid in pids:
        out.append({"Description": {"Value": impact}, "ProductID": [pid], "Type": 0, "DateSpecified": False})
        out.append({"Description": {"Value": severity}, "ProductID": [pid], "Type": 3, "DateSpecified": False})
    out.append({"Description": {"Value": exploit}, "Type": 1, "DateSpecified": False})
    return out

def vuln(ordinal, cve, title, tag, pids, impact, severity, exploit, vector, base, temporal, remediations, revisions, faq):
    return {
        "Title": {"Value": title},
        "Notes": [
            {"Title": "Description", "Type": 2, "Ordinal": "0", "Value": ""},
            {"Title": "FAQ", "Type": 4, "Ordinal": "10", "Value": faq},
            {"Title": tag, "Type": 7, "Ordinal": "20", "Value": tag},
            {"Title": "Microsoft", "Type": 8, "Ordinal": "30", "Value": "Microsoft"},
        ],
        "DiscoveryDateSpecified": False,
        "ReleaseDateSpecified": False,
        "CVE": cve,
        "ProductStatuses": [{"ProductID": pids, "Type": 3}],
        "Threats": threats(pids, impact, severity, exploit),
        "CVSSScoreSets": [{"BaseScore": base, "TemporalScore": temporal, "Vector": vector, "ProductID": pids}],
        "Remediations": remediations,
        "Acknowledgments": [{"Name": [{"Value": ""}], "URL": [""]}],
        "Ordinal": str(ordinal),
        "RevisionHistory": [{"Number": n, "Date": d, "Description": {"Value": t}} for n, d, t in revisions],
    }

def document(month_id, title, initial, current, revisions, pids, vulns):
    return {
        "DocumentTitle": {"Value": title},
        "DocumentType": {"Value": "Security Update"},
        "DocumentPublisher": {
            "ContactDetails": {"Value": "secure@microsoft.com"},
            "IssuingAuthority": {"Value": "Microsoft Security Response Center (hand-written test document, not Microsoft's text)."},
            "Type": 0,
        },
        "DocumentTracking": {
            "Identification": {"ID": {"Value": month_id}, "Alias": {"Value": month_id}},
            "Status": 2,
            "Version": revisions[-1][0],
            "RevisionHistory": [{"Number": n, "Date": d, "Description": {"Value": t}} for n, d, t in revisions],
            "InitialReleaseDate": initial,
            "CurrentReleaseDate": current,
        },
        "DocumentNotes": [
            {"Title": "Release Notes", "Audience": "Public", "Type": 1, "Ordinal": "1",
             "Value": "<p>The " + title + " include security updates for Windows and Microsoft Office. (Hand-written test document.)</p>"},
        ],
        "ProductTree": product_tree(pids),
        "Vulnerability": vulns,
    }

PUBLISHED = "<p>Information published.</p>"
S2022 = ["11923", "11924"]
W11 = ["12242", "12243"]
S23H2 = ["12244"]
S2019 = ["11571", "11572", "11569"]
OFFICE = ["11952", "11762"]

jan_rev = [("1.0", "2024-01-09T08:00:00", PUBLISHED)]
jan = document(
    "2024-Jan", "January 2024 Security Updates", "2024-01-09T08:00:00", "2024-01-25T08:00:00",
    [("1.0", "2024-01-09T08:00:00", "January 2024 Security Updates"), ("2.0", "2024-01-25T08:00:00", "Updated CVE-2024-21307")],
    ["9312", "10483", "11569", "11571", "11572", "11762", "11923", "11924", "11952", "12169", "12242", "12243", "12244"],
    [
        vuln(1, "CVE-2024-20674", "Windows Kerberos Security Feature Bypass Vulnerability", "Windows Kerberos",
             S2022 + W11 + S23H2 + S2019 + ["10483", "9312"], "Security Feature Bypass", "Critical",
             "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely",
             "CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.0, 7.8,
             [
                 fix("5034129", S2022, "10.0.20348.2227", "5033118"),
                 fix("5034123", W11, "10.0.22631.3007", "5033375"),
                 fix("5034130", S23H2, "10.0.25398.643", "5033383"),
                 fix("5034127", S2019, "10.0.17763.5329", "5033371"),
                 fix("5034171", ["10483"], "6.3.9600.21774", "5033420", subtype="Monthly Rollup"),
                 fix("5034167", ["10483"], "", "5033424", subtype="Security Only"),
                 fix("5034173", ["9312"], "", "5033422", subtype="Monthly Rollup"),
             ],
             jan_rev,
             "<p><strong>What kind of security feature could be bypassed?</strong></p><p>An attacker could bypass the Kerberos authentication feature &amp; impersonate the Kerberos server.</p>"),
        vuln(2, "CVE-2024-20666", "BitLocker Security Feature Bypass Vulnerability", "Windows BitLocker",
             S2022 + W11, "Security Feature Bypass", "Important",
             "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely",
             "CVSS:3.1/AV:P/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 6.6, 5.8,
             [
                 fix("5034129", S2022, "10.0.20348.2227", "5033118"),
                 fix("5034439", S2022, "", "", restart="No", url="https://support.microsoft.com/help/5034439"),
                 fix("5034123", W11, "10.0.22631.3007", "5033375"),
             ],
             jan_rev,
             "<p><strong>How could an attacker exploit the vulnerability?</strong></p><p>An attacker with physical access to the device could bypass BitLocker Device Encryption.</p>"),
        vuln(3, "CVE-2024-21307", "Remote Desktop Client Remote Code Execution Vulnerability", "Remote Desktop Client",
             S2022 + W11 + ["12169"], "Remote Code Execution", "Important",
             "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely",
             "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 7.5, 6.5,
             [
                 fix("5034129", S2022, "10.0.20348.2227", "5033118"),
                 fix("5034123", W11, "10.0.22631.3007", "5033375"),
                 fix("Release Notes", ["12169"], "1.2.5105.0", "", restart="No",
                     url="https://learn.microsoft.com/windows-server/remote/remote-desktop-services/clients/windowsdesktop-whatsnew"),
                 {"Description": {"Value": "<p>Connect only to Remote Desktop servers you trust.</p>"}, "ProductID": S2022 + W11,
                  "Type": 0, "DateSpecified": False, "AffectedFiles": [], "RestartRequired": {}, "SubType": "", "FixedBuild": ""},
             ],
             [("1.0", "2024-01-09T08:00:00", PUBLISHED),
              ("1.1", "2024-01-25T08:00:00", "<p>Updated FAQ information. This is an informational change only.</p>")],
             "<p><strong>How could an attacker exploit the vulnerability?</strong></p><p>An authenticated attacker would have to wait for the user to initiate a connection with a client application.</p>"),
        vuln(4, "CVE-2024-20677", "Microsoft Office Remote Code Execution Vulnerability", "Microsoft Office",
             OFFICE, "Remote Code Execution", "Important",
             "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely",
             "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 7.8, 6.8,
             [fix("Click to Run", OFFICE, "16.0.17126.20132", "", restart="No", url="https://aka.ms/OfficeSecurityReleases")],
             jan_rev,
             "<p><strong>Is the Preview Pane an attack vector for this vulnerability?</strong></p><p>No, the Preview Pane is not an attack vector.</p>"),
    ],
)

feb_rev = [("1.0", "2024-02-13T08:00:00", PUBLISHED)]
feb = document(
    "2024-Feb", "February 2024 Security Updates", "2024-02-13T08:00:00", "2024-02-13T08:00:00",
    [("1.0", "2024-02-13T08:00:00", "February 2024 Security Updates")],
    ["11569", "11571", "11572", "11762", "11923", "11924", "11952", "12242", "12243", "12244"],
    [
        vuln(1, "CVE-2024-21412", "Internet Shortcut Files Security Feature Bypass Vulnerability", "Internet Shortcut Files",
             S2022 + W11 + S23H2 + S2019, "Security Feature Bypass", "Important",
             "Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected",
             "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C", 8.1, 7.5,
             [
                 fix("5034770", S2022, "10.0.20348.2322", "5034129"),
                 fix("5034765", W11, "10.0.22631.3155", "KB5034123, KB5034204"),
                 fix("5034769", S23H2, "10.0.25398.709", "5034130"),
                 fix("5034768", S2019, "10.0.17763.5458", "5034127"),
             ],
             feb_rev,
             "<p><strong>How could an attacker exploit the vulnerability?</strong></p><p>An unauthenticated attacker could send the targeted user a specially crafted file.</p>"),
        vuln(2, "CVE-2024-21351", "Windows SmartScreen Security Feature Bypass Vulnerability", "Windows SmartScreen",
             S2022 + W11 + S23H2 + S2019, "Security Feature Bypass", "Moderate",
             "Publicly Disclosed:No;Exploited:Yes;Latest Software Release:Exploitation Detected",
             "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:H/A:N/E:F/RL:O/RC:C", 7.6, 7.0,
             [
                 fix("5034770", S2022, "10.0.20348.2322", "5034129"),
                 fix("5034765", W11, "10.0.22631.3155", "KB5034123, KB5034204"),
                 fix("5034769", S23H2, "10.0.25398.709", "5034130"),
                 fix("5034768", S2019, "10.0.17763.5458", "5034127"),
             ],
             feb_rev,
             "<p><strong>What security feature is bypassed?</strong></p><p>An attacker could bypass the SmartScreen user experience.</p>"),
        vuln(3, "CVE-2024-21413", "Microsoft Outlook Remote Code Execution Vulnerability", "Microsoft Office Outlook",
             OFFICE, "Remote Code Execution", "Critical",
             "Publicly Disclosed:No;Exploited:No;Latest Software Release:Exploitation Less Likely",
             "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.8, 8.5,
             [fix("Click to Run", OFFICE, "16.0.17231.20236", "", restart="No", url="https://aka.ms/OfficeSecurityReleases")],
             feb_rev,
             "<p><strong>Is the Preview Pane an attack vector for this vulnerability?</strong></p><p>Yes, the Preview Pane is an attack vector.</p>"),
    ],
)

if __name__ == "__main__":
    # The builders above are also used by worker/dev/demo/feeds/make-msrc.py for the demo's months.
    for name, doc in (("2024-Jan.json", jan), ("2024-Feb.json", feb)):
        with open(name, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
