import { describe, expect, it } from 'vitest';
import { windowsEcosystem } from './windows-products';

describe('MSRC product names -> Windows host ecosystems', () => {
  it.each([
    ['Windows Server 2022', 'Windows:10.0.20348'],
    ['Windows Server 2022 (Server Core installation)', 'Windows:10.0.20348'],
    ['Windows Server 2022, 23H2 Edition (Server Core installation)', 'Windows:10.0.25398'],
    ['Windows Server 2025', 'Windows:10.0.26100'],
    ['Windows Server 2019 (Server Core installation)', 'Windows:10.0.17763'],
    ['Windows Server 2016', 'Windows:10.0.14393'],
    ['Windows Server 2012 R2 (Server Core installation)', 'Windows:6.3.9600'],
    ['Windows Server 2012', 'Windows:6.2.9200'],
    ['Windows Server 2008 R2 for x64-based Systems Service Pack 1', 'Windows:6.1.7601'],
    ['Windows Server 2008 for 32-bit Systems Service Pack 2', 'Windows:6.0.6003'],
    ['Windows Server, version 20H2 (Server Core Installation)', 'Windows:10.0.19042'],
    ['Windows 11 Version 24H2 for x64-based Systems', 'Windows:10.0.26100'],
    ['Windows 11 Version 23H2 for ARM64-based Systems', 'Windows:10.0.22631'],
    ['Windows 11 version 22H2 for x64-based Systems', 'Windows:10.0.22621'],
    ['Windows 11 for x64-based Systems', 'Windows:10.0.22000'],
    ['Windows 10 Version 22H2 for 32-bit Systems', 'Windows:10.0.19045'],
    ['Windows 10 Version 1809 for x64-based Systems', 'Windows:10.0.17763'],
    ['Windows 10 Version 1607 for x64-based Systems', 'Windows:10.0.14393'],
    ['Windows 10 for x64-based Systems', 'Windows:10.0.10240'],
    ['Windows 8.1 for x64-based systems', 'Windows:6.3.9600'],
    ['Windows RT 8.1', 'Windows:6.3.9600'],
    ['Windows 7 for x64-based Systems Service Pack 1', 'Windows:6.1.7601'],
  ])('%s -> %s', (name, ecosystem) => {
    expect(windowsEcosystem(name)).toBe(ecosystem);
  });

  it.each([
    'Microsoft Office LTSC 2021 for 64-bit editions',
    'Microsoft .NET Framework 4.8.1 on Windows Server 2022',
    'Microsoft Edge (Chromium-based)',
    'Remote Desktop client for Windows Desktop',
    'Windows Admin Center',
    'Windows Malicious Software Removal Tool 64-bit',
    'Windows Subsystem for Linux',
    'Adobe Flash Player on Windows 10 Version 1607 for x64-based Systems',
  ])('%s is no Windows build', (name) => {
    expect(windowsEcosystem(name)).toBeUndefined();
  });
});
