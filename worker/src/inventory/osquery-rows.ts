import type { InventoryBuilder } from './builder';
import type { Location } from './issues';
import { isJsonObject, type JsonObject, jsonPath, jsonType, member, parseJson } from './json-value';
import { quote, textLines } from './text';

/** One result row, with the query that produced it: query names often name the table. */
export interface OsqueryRow {
  readonly columns: JsonObject;
  readonly query?: string;
  readonly at: Location;
}

/**
 * Gathers result rows from every shape osquery writes them in: `osqueryi --json` arrays, maps of
 * query name to rows, scheduled-query log lines (snapshot, event and batch formats, alone, in an
 * array, in the TLS logger's `data`, or one per line as the filesystem logger writes them), and
 * distributed-query answers.
 */
class RowCollector {
  readonly #inventory: InventoryBuilder;
  readonly #rows: OsqueryRow[] = [];
  /** A log file holds one snapshot per run of a query: the last one is the current state. */
  readonly #snapshots = new Map<string, OsqueryRow[]>();
  /** Event logs state changes: a row counts if it was added and not removed since. */
  readonly #events = new Map<string, OsqueryRow>();

  constructor(inventory: InventoryBuilder) {
    this.#inventory = inventory;
  }

  rows(): OsqueryRow[] {
    return [...this.#rows, ...[...this.#snapshots.values()].flat(), ...this.#events.values()];
  }

  document(value: unknown, line?: number): void {
    const at = (path: string): Location => ({ ...(line !== undefined && { line }), ...(path !== '' && { path }) });
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isLogRecord(item)) this.#logRecord(item, jsonPath('', index), at);
        else this.#row(item, undefined, at(jsonPath('', index)));
      });
    } else if (!isJsonObject(value)) {
      this.#inventory.issue(at(''), `expected osquery results (an array or an object), found ${jsonType(value)}`);
    } else if (isLogRecord(value)) {
      this.#logRecord(value, '', at);
    } else if (isJsonObject(member(value, 'queries'))) {
      this.#distributed(value, at);
    } else if (member(value, 'log_type') !== undefined) {
      this.#loggerRequest(value, at);
    } else {
      this.#queryMap(value, '', at);
    }
  }

  /** `{ "<query name>": [rows], ... }` */
  #queryMap(map: JsonObject, path: string, at: (path: string) => Location): void {
    for (const [query, rows] of Object.entries(map)) {
      const rowsPath = jsonPath(path, query);
      if (!Array.isArray(rows)) {
        this.#inventory.issue(at(rowsPath), `expected the rows of query ${quote(query)}, found ${jsonType(rows)}`);
        continue;
      }
      rows.forEach((row, index) => {
        this.#row(row, query, at(jsonPath(rowsPath, index)));
      });
    }
  }

  /** A distributed write: `{ "queries": { "<id>": [rows] }, "statuses": { "<id>": 0 } }`. */
  #distributed(body: JsonObject, at: (path: string) => Location): void {
    const statuses = member(body, 'statuses');
    if (isJsonObject(statuses)) {
      for (const [id, status] of Object.entries(statuses)) {
        // Non-zero is an SQLite error code: that query's rows are missing, and the inventory with them.
        if (status !== 0 && status !== '0') {
          this.#inventory.issue(
            at(jsonPath('statuses', id)),
            `query ${quote(id)} failed on the host (status ${quote(String(status))})`,
          );
        }
      }
    }
    const queries = member(body, 'queries');
    if (isJsonObject(queries)) this.#queryMap(queries, 'queries', at);
  }

  /** The TLS logger's POST: `{ "log_type": "result", "data": [log records] }`. */
  #loggerRequest(body: JsonObject, at: (path: string) => Location): void {
    if (member(body, 'log_type') !== 'result') {
      this.#inventory.issue(at('log_type'), 'only result logs carry query rows; this is not log_type "result"');
      return;
    }
    const data = member(body, 'data');
    if (!Array.isArray(data)) {
      this.#inventory.issue(at('data'), `expected the log records, found ${jsonType(data)}`);
      return;
    }
    data.forEach((record, index) => {
      const path = jsonPath('data', index);
      if (isLogRecord(record)) this.#logRecord(record, path, at);
      else this.#inventory.issue(at(path), 'expected a result log record (with "action" and "columns" or "snapshot")');
    });
  }

  #logRecord(record: JsonObject, path: string, at: (path: string) => Location): void {
    const name = member(record, 'name');
    const query = typeof name === 'string' ? name : undefined;
    const diff = member(record, 'diffResults');
    if (isJsonObject(diff)) {
      for (const action of ['added', 'removed'] as const) {
        const rowsPath = jsonPath(jsonPath(path, 'diffResults'), action);
        const rows = member(diff, action);
        if (rows === undefined) continue;
        if (!Array.isArray(rows)) {
          this.#inventory.issue(at(rowsPath), `expected the ${action} rows, found ${jsonType(rows)}`);
          continue;
        }
        rows.forEach((row, index) => {
          this.#change(action, row, query, at(jsonPath(rowsPath, index)));
        });
      }
      return;
    }
    const action = member(record, 'action');
    if (action === 'snapshot') {
      const snapshotPath = jsonPath(path, 'snapshot');
      const rows = member(record, 'snapshot');
      if (!Array.isArray(rows)) {
        this.#inventory.issue(at(snapshotPath), `expected the snapshot rows, found ${jsonType(rows)}`);
        return;
      }
      const kept: OsqueryRow[] = [];
      rows.forEach((row, index) => {
        const checked = this.#checkedRow(row, query, at(jsonPath(snapshotPath, index)));
        if (checked !== undefined) kept.push(checked);
      });
      this.#snapshots.set(query ?? '', kept);
    } else if (action === 'added' || action === 'removed') {
      this.#change(action, member(record, 'columns'), query, at(jsonPath(path, 'columns')));
    } else {
      this.#inventory.issue(at(jsonPath(path, 'action')), 'action must be snapshot, added or removed');
    }
  }

  #change(action: 'added' | 'removed', row: unknown, query: string | undefined, at: Location): void {
    const checked = this.#checkedRow(row, query, at);
    if (checked === undefined) return;
    const key = JSON.stringify([query ?? '', checked.columns]);
    if (action === 'added') this.#events.set(key, checked);
    else this.#events.delete(key);
  }

  #row(row: unknown, query: string | undefined, at: Location): void {
    const checked = this.#checkedRow(row, query, at);
    if (checked !== undefined) this.#rows.push(checked);
  }

  /** osquery writes every column as a string (numbers with --logger_numerics): anything else is not a row. */
  #checkedRow(row: unknown, query: string | undefined, at: Location): OsqueryRow | undefined {
    if (!isJsonObject(row)) {
      this.#inventory.issue(at, `a row must be an object of columns, found ${jsonType(row)}`);
      return undefined;
    }
    for (const [column, value] of Object.entries(row)) {
      if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        this.#inventory.issue(
          { ...at, path: jsonPath(at.path ?? '', column) },
          `a column holds a string, found ${jsonType(value)}`,
        );
        return undefined;
      }
    }
    return { columns: row, ...(query !== undefined && { query }), at };
  }
}

/** A scheduled query's log line: event, snapshot or batch format. */
function isLogRecord(value: unknown): value is JsonObject {
  return (
    isJsonObject(value) && (typeof member(value, 'action') === 'string' || isJsonObject(member(value, 'diffResults')))
  );
}

/**
 * The documents of an upload: one JSON document, or one per line (NDJSON, the filesystem
 * logger's files). Lines are tried only when the whole text is not JSON but its first line is.
 */
function readDocuments(body: string, collector: RowCollector, inventory: InventoryBuilder): void {
  const whole = parseJson(body);
  if (whole.ok) {
    collector.document(whole.value);
    return;
  }
  const lines = textLines(body);
  const firstLine = lines.findIndex((line) => line.trim() !== '');
  const first = firstLine < 0 ? undefined : parseJson(lines[firstLine] ?? '');
  if (first === undefined || !first.ok) {
    inventory.issue({}, whole.message);
    return;
  }
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    if (parsed.ok) collector.document(parsed.value, index + 1);
    else inventory.issue({ line: index + 1 }, parsed.message);
  });
}

export function collectOsqueryRows(body: string, inventory: InventoryBuilder): OsqueryRow[] {
  const collector = new RowCollector(inventory);
  readDocuments(body, collector, inventory);
  return collector.rows();
}
