import { useEffect, useState } from 'preact/hooks';
import * as v from 'valibot';
import type { Connected } from '@/background/connection';
import { BackendUrl, backendUrlItem, tokenPrefixItem } from '@/utils/settings';
import { ask } from './bridge';

type Result = { state: 'idle' } | { state: 'busy' } | { state: 'ok'; text: string } | { state: 'error'; text: string };

/**
 * Backend URL and token. "Check and save" asks the background to try them against the backend; they
 * are saved only when they work. The saved token is never shown again, only its prefix.
 */
export function BackendForm() {
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [prefix, setPrefix] = useState<string | null>(null);
  const [result, setResult] = useState<Result>({ state: 'idle' });

  useEffect(() => {
    void backendUrlItem.getValue().then(setUrl);
    void tokenPrefixItem.getValue().then(setPrefix);
    return tokenPrefixItem.watch((value) => setPrefix(value));
  }, []);

  const checkAndSave = (event: Event) => {
    event.preventDefault();
    const parsed = v.safeParse(BackendUrl, url);
    if (!parsed.success) {
      setResult({ state: 'error', text: parsed.issues[0]?.message ?? 'invalid backend URL' });
      return;
    }
    setResult({ state: 'busy' });
    // Called at once in the click: browsers grant permissions only during the user's gesture.
    // An origin the manifest already lists (the local backend) is granted without a prompt.
    browser.permissions
      .request({ origins: [`${parsed.output}/*`] })
      .then(async (granted) => {
        if (!granted) {
          setResult({ state: 'error', text: `access to ${parsed.output} was not granted` });
          return;
        }
        const reply = await ask<Connected>({ type: 'patchboard:check-token', backendUrl: parsed.output, token });
        if (reply.ok) {
          setToken('');
          setUrl(parsed.output);
          setResult({ state: 'ok', text: `Connected to Patchboard ${reply.data.version} as ${reply.data.prefix}` });
        } else {
          setResult({ state: 'error', text: reply.error });
        }
      })
      .catch((err: Error) => setResult({ state: 'error', text: err.message }));
  };

  const forget = async () => {
    const reply = await ask<null>({ type: 'patchboard:forget-token' });
    setResult(reply.ok ? { state: 'ok', text: 'The token was forgotten' } : { state: 'error', text: reply.error });
  };

  return (
    <form onSubmit={checkAndSave}>
      <h2>Backend</h2>
      <label>
        Backend URL{' '}
        <input
          data-testid="options-backend-url"
          type="url"
          required
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          placeholder="https://patchboard.example.com"
        />
      </label>
      <br />
      <label>
        API token{' '}
        <input
          data-testid="options-token"
          type="password"
          autoComplete="off"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          placeholder={prefix ? `${prefix}… (saved; type a new one to replace it)` : 'pb_…'}
        />
      </label>
      <p data-testid="options-token-prefix" data-prefix={prefix ?? ''}>
        {prefix ? `Saved token: ${prefix}…` : 'No token saved yet.'}
      </p>
      <button data-testid="options-check-save" type="submit" disabled={result.state === 'busy'}>
        Check and save
      </button>{' '}
      {prefix && (
        <button data-testid="options-forget-token" type="button" onClick={() => void forget()}>
          Forget the token
        </button>
      )}
      <p data-testid="options-backend-result" data-state={result.state} role="status">
        {result.state === 'busy' ? 'Checking…' : result.state === 'idle' ? '' : result.text}
      </p>
    </form>
  );
}
