/**
 * "Schedule": the one-click schedule (POST /v1/deployments/schedule through `patchboard:schedule`)
 * of the fixes for these ids on every affected host with the default ring plan. It answers with
 * what was created - the deployment, waiting for approval, and each ring with its host count and
 * next opening - and offers "Undo" (`patchboard:undo`, which cancels it).
 */
import type { Deployment } from '@patchboard/shared/schemas/deployment';
import { useState } from 'preact/hooks';
import type { Send } from '@/content/client';
import { deploymentStatusText, formatDateTime, plural } from './format';

export interface ScheduleButtonProps {
  /** The advisories or CVEs to deploy fixes for (the page's id). */
  readonly ids: readonly string[];
  readonly send: Send;
  /** Set when there is nothing to schedule: the button is disabled and says why. */
  readonly disabledReason?: string;
  /** Called after a deployment was created or undone (the overlay looks the id up again). */
  readonly onChanged?: () => void;
}

type Step =
  | { readonly at: 'idle' }
  | { readonly at: 'scheduling' }
  | { readonly at: 'failed'; readonly error: string }
  | { readonly at: 'created'; readonly deployment: Deployment; readonly undo?: UndoStep };

type UndoStep =
  | { readonly at: 'undoing' }
  | { readonly at: 'undone'; readonly deployment: Deployment }
  | { readonly at: 'failed'; readonly error: string };

export function ScheduleButton({ ids, send, disabledReason, onChanged }: ScheduleButtonProps) {
  const [step, setStep] = useState<Step>({ at: 'idle' });

  const schedule = async () => {
    setStep({ at: 'scheduling' });
    const reply = await send({ type: 'patchboard:schedule', ids: [...ids] });
    setStep(reply.ok ? { at: 'created', deployment: reply.data } : { at: 'failed', error: reply.error });
    if (reply.ok) onChanged?.();
  };

  const undo = async (deployment: Deployment) => {
    setStep({ at: 'created', deployment, undo: { at: 'undoing' } });
    const reply = await send({ type: 'patchboard:undo', deploymentId: deployment.id });
    setStep({
      at: 'created',
      deployment,
      undo: reply.ok ? { at: 'undone', deployment: reply.data } : { at: 'failed', error: reply.error },
    });
    if (reply.ok) onChanged?.();
  };

  const created = step.at === 'created' ? step.deployment : null;
  return (
    <>
      <button
        type="button"
        data-testid="pb-schedule"
        disabled={disabledReason !== undefined || step.at === 'scheduling' || created !== null}
        title={disabledReason}
        onClick={() => void schedule()}
      >
        {step.at === 'scheduling' ? 'Scheduling…' : 'Schedule'}
      </button>
      {step.at === 'failed' && (
        <p class="error full" data-testid="pb-schedule-error" role="alert">
          {step.error}
        </p>
      )}
      {created && step.at === 'created' && (
        <Confirmation deployment={created} undo={step.undo} onUndo={() => void undo(created)} />
      )}
    </>
  );
}

function Confirmation({
  deployment,
  undo,
  onUndo,
}: {
  deployment: Deployment;
  undo: UndoStep | undefined;
  onUndo: () => void;
}) {
  const hosts = deployment.rings.reduce((sum, ring) => sum + ring.hosts, 0);
  return (
    <div class="box full" data-testid="pb-schedule-result" data-deployment-id={deployment.id} role="status">
      <p>
        Created deployment{' '}
        <b data-testid="pb-created-deployment" data-deployment-id={deployment.id}>
          #{deployment.id}
        </b>{' '}
        ({deployment.title}):{' '}
        <span data-testid="pb-created-status" data-status={deployment.status}>
          {deploymentStatusText(deployment.status)}
        </span>
        , <b data-testid="pb-created-hosts">{hosts}</b> {hosts === 1 ? 'host' : 'hosts'}.
      </p>
      <ul>
        {deployment.rings.map((ring) => (
          <li key={ring.ring} data-testid="pb-created-ring" data-ring={ring.ring}>
            {ring.ring}: <b data-testid="pb-created-ring-hosts">{ring.hosts}</b> {ring.hosts === 1 ? 'host' : 'hosts'},
            next opening{' '}
            {ring.nextOpening ? (
              <>
                <time data-testid="pb-created-ring-opening" dateTime={ring.nextOpening.start}>
                  {formatDateTime(ring.nextOpening.start)}
                </time>{' '}
                – <time dateTime={ring.nextOpening.end}>{formatDateTime(ring.nextOpening.end)}</time>
              </>
            ) : (
              <span class="muted" data-testid="pb-created-ring-opening">
                none (no maintenance window)
              </span>
            )}
          </li>
        ))}
      </ul>
      {undo?.at === 'undone' ? (
        <p data-testid="pb-undo-result" data-status={undo.deployment.status}>
          Deployment #{undo.deployment.id} {deploymentStatusText(undo.deployment.status)}.
        </p>
      ) : (
        <button
          type="button"
          class="secondary"
          data-testid="pb-undo"
          disabled={undo?.at === 'undoing'}
          onClick={onUndo}
        >
          {undo?.at === 'undoing' ? 'Undoing…' : 'Undo'}
        </button>
      )}
      {undo?.at === 'failed' && (
        <p class="error" data-testid="pb-undo-error" role="alert">
          {undo.error}
        </p>
      )}
      {undo === undefined && (
        <span class="muted"> {plural(deployment.rings.length, 'ring')}, waits for an approver.</span>
      )}
    </div>
  );
}
