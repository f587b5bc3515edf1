/**
 * The toolbar badge: the tenant's open P1 findings (red), or for someone who approves, what waits
 * for approval (deployments awaiting approval plus requested risk exceptions). The API has no
 * route telling a token its role, so "I approve" in the options decides (approverItem).
 */
import { approverItem } from '@/utils/settings';
import type { ApiClient } from './api';

export const P1_COLOR = '#d93025';
export const APPROVAL_COLOR = '#b06000';
const ERROR_COLOR = '#5f6368';
/** Page size when counting approvals; beyond it the badge says `500+`. */
const COUNT_LIMIT = 500;

export interface BadgeState {
  readonly text: string;
  readonly color: string;
  readonly title: string;
}

const shown = (count: number, more: boolean) => (count === 0 ? '' : more ? `${count}+` : String(count));

/** What the badge should show; errors show `!` with the reason as the title. */
export async function badgeState(api: Pick<ApiClient, 'call'>, approver: boolean): Promise<BadgeState> {
  if (approver) {
    const [deployments, exceptions] = await Promise.all([
      api.call('listDeployments', { query: { status: 'awaiting_approval', limit: COUNT_LIMIT } }),
      api.call('listExceptions', { query: { status: 'requested', limit: COUNT_LIMIT } }),
    ]);
    if (!deployments.ok) return failed(deployments.error);
    if (!exceptions.ok) return failed(exceptions.error);
    const count = deployments.data.items.length + exceptions.data.items.length;
    const more = deployments.data.nextCursor !== null || exceptions.data.nextCursor !== null;
    return {
      text: shown(count, more),
      color: APPROVAL_COLOR,
      title: `Patchboard: ${deployments.data.items.length} deployment(s) and ${exceptions.data.items.length} exception(s) wait for approval`,
    };
  }
  const summary = await api.call('getReportSummary', { query: { format: 'json' } });
  if (!summary.ok) return failed(summary.error);
  const p1 = summary.data.backlog.byPriority.find((row) => row.priority === 'P1');
  const open = p1?.open.findings ?? 0;
  return {
    text: shown(open, false),
    color: P1_COLOR,
    title: `Patchboard: ${open} open P1 finding(s) on ${p1?.open.hosts ?? 0} host(s)`,
  };
}

function failed(error: string): BadgeState {
  return { text: '!', color: ERROR_COLOR, title: `Patchboard: ${error}` };
}

/** Reads the counts and paints the badge; returns what it painted. */
export async function refreshBadge(api: Pick<ApiClient, 'call'>): Promise<BadgeState> {
  const state = await badgeState(api, await approverItem.getValue());
  // Firefox MV2 has browser_action rather than action.
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  await action.setBadgeText({ text: state.text });
  await action.setBadgeBackgroundColor({ color: state.color });
  await action.setTitle({ title: state.title });
  return state;
}
