/**
 * The badge after a hostname or address found on an admin console that is one of the fleet's hosts:
 * `P1 2 · P2 5 · deployment #12 pending`, a button that opens the host in the dashboard
 * (`#/hosts/<hostname>`, opened by the background through `patchboard:open`, never by the page).
 */
import type { HostMatches } from '@patchboard/shared/schemas/host';
import type * as v from 'valibot';
import { deploymentStatusText, hostRoute } from './format';

export type HostMatch = v.InferOutput<typeof HostMatches>['items'][number];

export interface HostBadgeProps {
  readonly match: HostMatch;
  /** Opens a dashboard route (`#/hosts/web-01`). */
  readonly onOpen?: (route: string) => void;
}

/** `pending` for a deployment waiting to start; else its status. */
function pendingText(status: string): string {
  return status === 'awaiting_approval' || status === 'approved' ? 'pending' : deploymentStatusText(status);
}

export function HostBadge({ match, onOpen }: HostBadgeProps) {
  const route = hostRoute(match.hostname);
  const tone = match.p1 > 0 ? 'p1' : match.p2 > 0 ? 'p2' : 'none';
  const deployment = match.pendingDeployment;
  const title = [
    `Patchboard: ${match.hostname} (ring ${match.ring})`,
    `${match.p1} open P1, ${match.p2} open P2`,
    deployment ? `deployment #${deployment.id} ${deploymentStatusText(deployment.status)}: ${deployment.title}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const open = (event: Event) => {
    event.preventDefault();
    event.stopPropagation();
    if (route) onOpen?.(route);
  };
  // A button, not a link: the dashboard is an extension page the page cannot navigate to; the background opens it.
  return (
    <button
      type="button"
      class={`badge ${tone}`}
      data-testid="pb-host-badge"
      data-hostname={match.hostname}
      data-route={route ?? undefined}
      title={title}
      onClick={open}
    >
      P1 <span data-testid="pb-host-p1">{match.p1}</span> · P2 <span data-testid="pb-host-p2">{match.p2}</span>
      {deployment && (
        <>
          {' · '}
          <span data-testid="pb-host-deployment" data-deployment-id={deployment.id} data-status={deployment.status}>
            deployment #{deployment.id} {pendingText(deployment.status)}
          </span>
        </>
      )}
    </button>
  );
}
