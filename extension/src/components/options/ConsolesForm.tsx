import { useEffect, useState } from 'preact/hooks';
import { consolePatternsItem, parseConsolePatterns, patternOrigin } from '@/utils/settings';

type Result = { state: 'idle' } | { state: 'ok' | 'error'; text: string };

/**
 * Admin consoles where hosts get badges: match patterns, each needing its optional host permission,
 * which is requested here in the click (the background then registers the console script).
 */
export function ConsolesForm() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Result>({ state: 'idle' });
  useEffect(() => {
    void consolePatternsItem.getValue().then((patterns) => setText(patterns.join('\n')));
  }, []);

  const save = (event: Event) => {
    event.preventDefault();
    const parsed = parseConsolePatterns(text);
    if (!parsed.ok) {
      setResult({ state: 'error', text: parsed.reason });
      return;
    }
    const { patterns } = parsed;
    const origins = [...new Set(patterns.map(patternOrigin))];
    // Requested before any await: the permission prompt needs the user's gesture.
    const granted = origins.length === 0 ? Promise.resolve(true) : browser.permissions.request({ origins });
    granted
      .then(async (ok) => {
        if (!ok) {
          setResult({ state: 'error', text: 'access to these consoles was not granted; nothing was saved' });
          return;
        }
        await consolePatternsItem.setValue(patterns);
        setText(patterns.join('\n'));
        setResult({
          state: 'ok',
          text: patterns.length === 0 ? 'No console configured' : `Saved ${patterns.length} console pattern(s)`,
        });
      })
      .catch((err: Error) => setResult({ state: 'error', text: err.message }));
  };

  return (
    <form onSubmit={save}>
      <h2>Admin consoles</h2>
      <label>
        URL patterns, one a line (for example <code>https://vcenter.example.com/*</code>)
        <br />
        <textarea
          data-testid="options-console-patterns"
          rows={4}
          cols={60}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <br />
      <button data-testid="options-console-save" type="submit">
        Save consoles
      </button>
      <p data-testid="options-console-result" data-state={result.state} role="status">
        {result.state === 'idle' ? '' : result.text}
      </p>
    </form>
  );
}
