import { describe, expect, it } from 'vitest';
import { powerShellQuote, shellQuote } from './quote';

describe('shellQuote', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(
      shellQuote(['apt-get', 'install', '-y', 'openssl=3.0.13-1~deb12u1', 'Dpkg::Options::=--force-confold']),
    ).toBe('apt-get install -y openssl=3.0.13-1~deb12u1 Dpkg::Options::=--force-confold');
    expect(shellQuote(['dpkg-query', '-f=$P $V'])).toBe("dpkg-query '-f=$P $V'");
    expect(shellQuote(['echo', "it's", '', '~root', 'a=~b', '$(id)', 'a;b', '*'])).toBe(
      "echo 'it'\\''s' '' '~root' 'a=~b' '$(id)' 'a;b' '*'",
    );
  });

  it('quotes a first word that would be an assignment', () => {
    expect(shellQuote(['FOO=bar', 'x'])).toBe("'FOO=bar' x");
  });
});

describe('powerShellQuote', () => {
  it('leaves cmdlets, parameters and plain values bare', () => {
    expect(powerShellQuote(['Install-WindowsUpdate', '-KBArticleID', 'KB5034441', '-AcceptAll'])).toBe(
      'Install-WindowsUpdate -KBArticleID KB5034441 -AcceptAll',
    );
    expect(powerShellQuote(['wusa.exe', '/uninstall', '/kb:5034441'])).toBe('wusa.exe /uninstall /kb:5034441');
  });

  it('single-quotes the rest, doubling every kind of single quote, and calls quoted programs with &', () => {
    expect(powerShellQuote(['Test-Path', 'HKLM:\\A B'])).toBe("Test-Path 'HKLM:\\A B'");
    expect(powerShellQuote(['x', "it's", 'a\u2019b', '$env:PATH', 'a;b', '@(1)'])).toBe(
      "x 'it''s' 'a\u2019\u2019b' '$env:PATH' 'a;b' '@(1)'",
    );
    expect(powerShellQuote(['C:\\Program Files\\snap.exe', '/vm'])).toBe("& 'C:\\Program Files\\snap.exe' /vm");
  });
});
