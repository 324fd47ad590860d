import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import { ReactNode, useState } from 'react';
import { useKargoPermission } from '../../hooks/useKargoPermission';

/** The backend's message for a failed call, not just "Request failed with 409". */
export function errorMessage(error: unknown): string {
  const e = error as {
    body?: { error?: { message?: string } };
    message?: string;
  };
  return e.body?.error?.message || e.message || String(error);
}

/**
 * Runs Kargo actions: `busy` while one runs; then its success message (if any) or the
 * backend's error as an alert.
 */
export function useKargoAction() {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const run = async (
    action: () => Promise<unknown> | void,
    successMessage?: string,
  ) => {
    setBusy(true);
    try {
      await action();
      if (successMessage) {
        alertApi.post({
          message: successMessage,
          severity: 'success',
          display: 'transient',
        });
      }
    } catch (error) {
      alertApi.post({ message: errorMessage(error), severity: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

export interface KargoActionButtonProps {
  permission: ResourcePermission;
  /** The stages or project acted on; the button needs the permission on all. */
  resourceRefs: string[];
  children: ReactNode;
  /** Runs the action; a thrown error is shown to the user. */
  onClick(): Promise<unknown> | void;
  /** Shown when the action succeeded; none for actions that open a dialog. */
  successMessage?: string;
  /** Why the button is disabled even when allowed (e.g. nothing running to abort). */
  unavailableReason?: string;
  /**
   * Why Kargo would refuse the portal's Kargo token this action (`kargoAccess.denied` of the
   * view or settings): the button is disabled with that reason instead of failing with 403.
   */
  kargoDenied?: string;
  color?: ButtonProps['color'];
  variant?: ButtonProps['variant'];
}

/**
 * A Kargo action: disabled, with the reason on hover, for users the permission policy refuses
 * and for actions Kargo would refuse the portal's token; busy while it runs; reports success or
 * the backend's error.
 */
export function KargoActionButton(props: KargoActionButtonProps) {
  const { permission, resourceRefs, unavailableReason, kargoDenied } = props;
  const { loading, allowed } = useKargoPermission(permission, resourceRefs);
  const { busy, run } = useKargoAction();

  const reason =
    !loading && !allowed
      ? `You are not allowed to do this (${permission.name})`
      : kargoDenied ?? unavailableReason;
  const button = (
    <Button
      size="small"
      variant={props.variant ?? 'outlined'}
      color={props.color ?? 'primary'}
      disabled={
        loading ||
        !allowed ||
        busy ||
        Boolean(kargoDenied) ||
        Boolean(unavailableReason)
      }
      onClick={() => run(props.onClick, props.successMessage)}
    >
      {props.children}
    </Button>
  );
  return reason ? (
    <Tooltip title={reason}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}
